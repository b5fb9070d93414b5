"""The project's own NLU components, run by Rasa inside the trained model (config.yml): the crisis
patterns, the learned crisis classifier and the crisis guard that turns them into an intent."""
