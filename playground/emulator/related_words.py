"""Groups of common words that mean about the same, for the emulator's made-up embeddings.

A real embedding model learns that "cat" and "kitten" are close; the emulator is told, here.
Each group is a handful of everyday synonyms or closely related words, written in their plain
form (the vectors match other forms of each word through its stem). A word may sit in more
than one group. Kept small on purpose: enough for a demo to show meaning, not a thesaurus.
"""

from __future__ import annotations

RELATED_WORD_GROUPS: tuple[tuple[str, ...], ...] = (
    # Animals
    ("cat", "kitten", "kitty", "feline"),
    ("dog", "puppy", "pup", "canine", "hound"),
    ("horse", "pony", "stallion", "mare", "equine"),
    ("bird", "sparrow", "songbird", "avian"),
    ("fish", "trout", "salmon"),
    ("animal", "pet", "creature", "beast"),
    # Things and places
    ("car", "automobile", "vehicle", "auto", "sedan"),
    ("bicycle", "bike", "cycle"),
    ("airplane", "plane", "aircraft", "jet", "flight"),
    ("train", "railway", "rail"),
    ("house", "home", "residence", "dwelling"),
    ("city", "town", "metropolis"),
    ("ocean", "sea", "marine"),
    ("forest", "woods", "woodland"),
    ("computer", "laptop", "pc"),
    ("phone", "smartphone", "telephone", "mobile"),
    ("movie", "film", "cinema"),
    ("book", "novel", "paperback"),
    ("music", "song", "melody", "tune"),
    ("food", "meal", "dish", "cuisine"),
    ("rug", "mat", "carpet"),
    ("bread", "loaf", "sourdough", "baguette"),
    ("rain", "storm", "drizzle", "shower"),
    # People
    ("child", "kid", "youngster", "toddler"),
    ("friend", "companion", "buddy", "pal"),
    ("doctor", "physician", "medic"),
    ("teacher", "instructor", "tutor"),
    ("student", "pupil", "learner"),
    ("company", "business", "firm", "corporation", "enterprise"),
    # Money and work
    ("money", "profit", "revenue", "finance", "income", "earnings", "cash", "sales"),
    ("price", "cost", "fee", "charge"),
    ("job", "work", "employment", "occupation", "career"),
    ("buy", "purchase", "acquire"),
    ("grow", "grew", "rise", "rose", "increase", "gain"),
    ("fall", "drop", "decline", "decrease"),
    # Qualities
    ("happy", "glad", "joyful", "cheerful", "delighted"),
    ("sad", "unhappy", "sorrowful", "gloomy", "miserable"),
    ("angry", "mad", "furious", "annoyed"),
    ("afraid", "scared", "frightened", "fearful"),
    ("big", "large", "huge", "enormous", "giant"),
    ("small", "little", "tiny", "miniature"),
    ("fast", "quick", "rapid", "swift", "speedy"),
    ("slow", "sluggish", "unhurried"),
    ("smart", "intelligent", "clever", "bright"),
    ("beautiful", "pretty", "lovely", "gorgeous"),
    ("loyal", "faithful", "devoted", "trusty"),
    ("sick", "ill", "unwell"),
    # Doing
    ("begin", "start", "commence"),
    ("end", "finish", "conclude"),
    ("help", "assist", "aid", "support"),
    ("eat", "dine", "consume"),
    ("talk", "speak", "chat", "converse"),
    ("walk", "stroll", "hike"),
    ("run", "sprint", "jog"),
    ("sleep", "nap", "doze", "rest"),
    ("sit", "sat", "seat"),
    ("fix", "repair", "mend"),
    ("error", "bug", "mistake", "fault", "defect"),
    ("question", "query", "ask"),
    ("answer", "reply", "response", "respond"),
    ("love", "adore", "cherish"),
    ("code", "program", "programming", "software", "coding"),
)
