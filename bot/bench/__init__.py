"""`make bench` (`python -m bot.bench`): answer quality against a TF-IDF baseline, the crisis sets,
latency, load and training time, with the REST client and scorer the tests share."""
