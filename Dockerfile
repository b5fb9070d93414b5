# One image for the assistant's three servers in docker-compose.yml (Rasa, the action server and
# the widget's web server), each started there as `make run` starts it (bot/ops/servers.py). It is
# built from what the tests run on: the pinned requirements.txt (e.g. jsonschema 3.2.0, which
# cut Rasa's validation of each action's reply from 82 to 9 ms), the project's code, screened
# channels (credentials.yml) and settings, and the model `make train` built: train first.
# tests/ops/test_recipes.py checks this file against docker-compose.yml, the Makefile and
# bot/ops/servers.py.

# The widget's socket.io client, from npm as pinned in package-lock.json (as the set-up gets it).
FROM node:20-slim AS widget-client
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.10-slim
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY actions/ actions/
COPY bot/ bot/
COPY data/ data/
COPY clinic.yml credentials.yml domain.yml endpoints.prod.yml ./
COPY models/kap.tar.gz models/
COPY --from=widget-client /build/node_modules/socket.io-client/dist/socket.io.min.js bot/channels/widget/vendor/

# The environment bot/ops/servers.py gives every server (SERVER_ENV): the project importable, no
# telemetry, quiet TensorFlow, and Sanic refusing request bodies over 1 MB before reading them.
ENV PYTHONPATH=/app TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false SANIC_REQUEST_MAX_SIZE=1000000
# A user without a home directory: HOME is /tmp, where Rasa writes its global config file.
USER 1001
ENV HOME=/tmp
