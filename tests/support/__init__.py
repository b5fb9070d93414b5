"""Helpers the tests share: running actions on a real tracker, REST turns, servers, a browser."""
