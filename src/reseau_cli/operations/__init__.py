"""Operations: one module per command group; each opens a Change, calls the model and returns a result the CLI prints."""
