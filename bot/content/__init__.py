"""What the bot says and for whom: the curated knowledge (answers, quotes, citations), the
clinic's settings (clinic.yml) and the domain's responses rendered with them."""
