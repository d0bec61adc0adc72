"""The public app's pages, one module per question or step."""
