"""`make demo`: each SDK's quickstart against its embedded emulator."""
