"""Running the assistant: starting its servers, the rolling tracker store, the clinic's report
and the pruning of old conversations (`python -m bot serve|report|prune`)."""
