"""A report's reference and secret phrase, and the key the database keeps instead of the phrase.

The reference says which report; the phrase proves the one who comes back is the one who wrote
it. Four words from about 260 (32 bits) are easy to write down and say, and every guess costs an
Argon2id derivation (about 20 MiB and tens of milliseconds), so guessing is slow; the key is
salted by the reference, so one derivation tests one phrase for one report only.

>>> normalise_phrase("  Apple-RIVER  kettle\\tmoon ")
'apple river kettle moon'
>>> normalise_reference(" cr-7k3m 9pqd ")
'CR-7K3M-9PQD'
"""

from __future__ import annotations

import hashlib
import re
import secrets

from argon2.low_level import Type, hash_secret_raw

# Letters and digits that are not mistaken for each other (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
_REFERENCE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
PHRASE_WORDS = 4

_WORD_LIST = """
    acorn anchor apple apron arch arrow autumn badge bakery balloon banjo barley basket beach
    beacon bean bell bench berry bicycle biscuit blanket boat bonnet book boot bottle bowl branch
    bread breeze brick bridge brook brush bucket bunny butter button cabin cactus cake camel
    candle canoe canyon carpet carrot castle cedar cello chalk cherry chess chimney cider circle
    clock cloud clover coast cobble comet copper coral cotton meadow crane crayon creek cricket
    crown cup curtain daisy dancer delta desert diamond dolphin donkey door dragon drum duck eagle
    easel echo elbow elm ember engine fable falcon feather fern ferry fiddle field finch flag
    flute forest fossil fountain fox frost garden garnet giraffe glacier glove goose granite
    grape harbour harp hazel hedge helmet heron hill honey hoop horizon island ivy jacket jasmine
    jelly jigsaw kettle kite koala ladder lagoon lake lamp lantern lemon lily linen lobster locket
    magnet mango maple marble meadowlark melon mint mirror mitten moon moss mountain mulberry
    needle nest noodle nutmeg oak oasis ocean olive onion orange orbit orchard otter owl paddle
    palace panda paper parcel parrot peach pebble pelican pencil pepper piano pillow pine planet
    plum pocket pond poppy puffin pumpkin quartz quill rabbit radish rainbow raven reef ribbon
    river robin rocket rose saddle sail salmon sandal saucer scarf seal shell shovel silver
    sketch sled snail sparrow spoon spring squirrel star stone storm straw summer sunset swan
    table teapot thistle thunder tiger timber toast tortoise tower train tulip tunnel turnip
    umbrella valley velvet violin volcano wagon walnut walrus wave whale wheat willow window
    winter wizard yacht yarn zebra
"""
WORDS = tuple(_WORD_LIST.split())


def new_reference() -> str:
    """CR- and eight characters (about 37 bits), grouped in fours to be read out."""
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"CR-{body[:4]}-{body[4:]}"


def new_phrase() -> str:
    return " ".join(secrets.choice(WORDS) for _ in range(PHRASE_WORDS))


def normalise_reference(raw: str) -> str:
    """What a person types (any case, spaces, missing dashes) as the stored form."""
    body = re.sub(r"[^0-9A-Z]", "", raw.upper())
    body = body.removeprefix("CR")
    return f"CR-{body[:4]}-{body[4:]}" if len(body) == 8 else raw.strip().upper()


def normalise_phrase(raw: str) -> str:
    """Words in lower case, separated by single spaces, whatever separated them when typed."""
    return " ".join(w for w in re.split(r"[^a-z]+", raw.lower()) if w)


def phrase_key(reference: str, phrase: str) -> bytes:
    """Argon2id of the phrase, salted by the reference: what the database compares."""
    salt = hashlib.sha256(f"safehub community report {reference}".encode()).digest()[:16]
    return hash_secret_raw(
        normalise_phrase(phrase).encode(),
        salt,
        time_cost=2,
        memory_cost=19 * 1024,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )
