"""What each Rasa channel's client can show, so that an action sends only what will be seen."""

# Channels that pass custom payloads and buttons on to their client (the website widget, and
# REST or callback clients); text-only messaging channels (SMS, Telegram, Slack, Messenger)
# would fail on payloads or print buttons as raw text, so they get the plain text only.
RICH_CHANNELS = {"rest", "callback", "socketio"}

# Channels whose client draws the citation payload as a quote card (the website widget), so the
# plain-text copy of the quote would only repeat it.
CARD_CHANNELS = {"socketio"}
