"""Where a patient's message comes in: Rasa's channels with input screening and a guaranteed
reply (REST, socket.io, callback, messaging platforms), the split of two questions, and the
website widget with the server of its page."""
