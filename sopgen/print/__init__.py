"""The PDFs: handbook data, the Markdown-to-Typst converter and the Typst engine."""
