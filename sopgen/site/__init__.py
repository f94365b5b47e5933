"""The training site: its pages and navigation, the build, serve, render and the engines' adapters."""
