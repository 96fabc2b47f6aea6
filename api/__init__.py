"""The FastAPI service, the web page and the command line: parsing, validation, presentation."""
