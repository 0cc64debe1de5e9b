"""The live preview: the HTTP server, the page data, the file watcher."""
