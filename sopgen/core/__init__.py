"""The format's model: sources read, validated and catalogued; no engine, no command line, no git."""
