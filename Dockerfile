# The action server (custom actions: answers, quotes, citations, declines, crisis resources).
# It needs only rasa-sdk and PyYAML, the knowledge files and clinic.yml.
FROM python:3.10-slim

WORKDIR /app
RUN pip install --no-cache-dir rasa-sdk==3.6.2 PyYAML==6.0.4
COPY actions/ actions/
COPY bot/__init__.py bot/knowledge.py bot/clinic.py bot/
COPY data/knowledge/ data/knowledge/
COPY clinic.yml ./

USER 1001
# In a container the action server must listen beyond loopback (only the Rasa container reaches
# it, on the compose network); outside Docker, `make run` keeps it on 127.0.0.1.
ENV SANIC_HOST=0.0.0.0
EXPOSE 5055
CMD ["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]
