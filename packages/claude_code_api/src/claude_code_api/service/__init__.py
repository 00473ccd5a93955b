"""The Claude Code API service (FastAPI + uvicorn): extra `claude_code_api[service]`."""
