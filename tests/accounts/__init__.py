"""Sign-in, the second factor and backup codes."""
