"""The partners' portal and the emails partners get."""
