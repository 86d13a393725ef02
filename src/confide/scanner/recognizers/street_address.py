"""Street addresses in Canadian English and French forms.

English: "123 Main Street", "12-345 King St W, Apt 4"; French: "123 rue Saint-Denis, app. 4",
"4500, boulevard René-Lévesque Ouest, bureau 300".
"""

from __future__ import annotations

from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
_WORD = (
    rf"[{_UP}0-9][{_UP}{_LOW}0-9'’.]{{0,30}}(?:-[{_UP}{_LOW}0-9][{_UP}{_LOW}0-9'’.]{{0,30}}){{0,3}}"
)
_CIVIC = r"\b[0-9]{1,6}(?:-[0-9]{1,6})?[A-Za-z]?"
_EN_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Crescent|Cres|Court|Ct|Lane|Ln|"
    "Way|Place|Pl|Terrace|Trail|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Gate"
)
_FR_TYPES = (
    "rue|avenue|av\\.|boulevard|boul\\.|bd|chemin|ch\\.|route|rte|place|rang|montée|côte|"
    "allée|impasse|promenade|croissant|carré|terrasse|voie|Rue|Avenue|Boulevard|Chemin|Route|"
    "Place|Rang|Montée|Côte"
)
_DIRECTION = r"(?:[ \t]+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West|Nord|Sud|Est|Ouest|O))?"
_UNIT = (
    r"(?:,?[ \t]+(?:Apt\.?|Apartment|Unit|Suite|app\.|appartement|bureau|local|"
    r"logement|#)[ \t]*[0-9]{1,5}[A-Za-z]?)?"
)


@register
class StreetAddressRecognizer(Recognizer):
    name = "ca_street_address"
    entity = Entity.STREET_ADDRESS
    patterns = (
        Pattern(
            "address_en",
            rf"{_CIVIC}[ \t]+(?:{_WORD}[ \t]+){{1,4}}(?:{_EN_TYPES})\b\.?{_DIRECTION}{_UNIT}",
            prefilter=rf"[ \t](?:{_EN_TYPES})\b",
        ),
        Pattern(
            "address_fr",
            rf"{_CIVIC},?[ \t]+(?:{_FR_TYPES})[ \t]+(?:(?:de|du|des|la|le|d'|l')[ \t]*)?"
            rf"{_WORD}(?:[ \t]+{_WORD}){{0,3}}?{_DIRECTION}{_UNIT}",
            prefilter=rf"[0-9][A-Za-z]?,?[ \t]+(?:{_FR_TYPES})[ \t]",
        ),
    )
    context = folded_set(
        [
            "address",
            "adresse",
            "street",
            "rue",
            "live",
            "habite",
            "domicile",
            "ship",
            "livraison",
            "demeure",
            "mailing",
            "postale",
        ]
    )

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        return 0.7
