"""The simple alternative the bot is measured against: TF-IDF passage search over the document.

It answers a question with the document's most similar sentence or bullet, or says it found
nothing when no passage is similar enough. No training data, no dialogue, no safety net.
"""

from typing import List

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from bot.content.knowledge import document_statements

NO_ANSWER = "Sorry, I could not find that in the information sheet."


class PassageSearch:
    """Finds the passage of the document closest to a question (word and character n-grams)."""

    def __init__(self, passages: List[str], threshold: float = 0.2) -> None:
        self.passages = passages
        self.threshold = threshold
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True)
        self.matrix = self.vectorizer.fit_transform(passages)

    def answer(self, question: str) -> str:
        if not question.strip():
            return NO_ANSWER
        scores = cosine_similarity(self.vectorizer.transform([question]), self.matrix)[0]
        best = scores.argmax()
        return self.passages[best] if scores[best] >= self.threshold else NO_ANSWER


def document_search() -> PassageSearch:
    """The baseline over the clinic's source document."""
    return PassageSearch(document_statements())
