"""Shared runtime for the workspace SDKs."""
