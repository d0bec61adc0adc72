"""SQL, each query in one place."""
