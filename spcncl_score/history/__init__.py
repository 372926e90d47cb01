"""The history of recognitions: an embedded SQLite database written by final runs only."""
