"""The staff pages: thin handlers that parse, call one service, and render or redirect."""
