"""
Tichy's seven traits of transformational leaders, as a leadscore instrument built in Python.

Source: the sidebar "Verbindend leiderschap, what's in a name?" of a VKW Metena policy note
on connective leadership (leadscore seed 002_176eb2de0c1ff565), which summarises Noel M.
Tichy's traits of transformational leaders. The items turn each trait's first sentence
into a statement about the person rated; that rewording, and the English, are ours.
"""

from __future__ import annotations

from leadscore import (
    Instrument,
    Item,
    LocalizedText,
    PointLabel,
    ResponseScale,
    Scale,
    Source,
)


__all__ = ["instrument"]

SEED = "VKW Metena policy note on connective leadership, leadscore seed 002_176eb2de0c1ff565"
SIDEBAR = "sidebar 'Verbindend leiderschap, what's in a name?' (Noel M. Tichy)"

# A five-point agreement scale: the source gives none. Labels are leadscore's.
AGREEMENT = ResponseScale(
    min=1,
    max=5,
    labels=(
        PointLabel(value=1, text={"nl": "helemaal mee oneens", "en": "strongly disagree"}),
        PointLabel(value=2, text={"nl": "mee oneens", "en": "disagree"}),
        PointLabel(value=3, text={"nl": "neutraal", "en": "neutral"}),
        PointLabel(value=4, text={"nl": "mee eens", "en": "agree"}),
        PointLabel(value=5, text={"nl": "helemaal mee eens", "en": "strongly agree"}),
    ),
)

# (id, trait number, Dutch statement, English statement, Dutch name, English name)
TRAITS = (
    (
        "makes-a-difference",
        1,
        "Gelooft dat hij of zij in de eigen rol een verschil kan maken, en begrijpt daarvoor eerst zelf te moeten veranderen.",
        "Believes they can make a difference in their role, and understands that this means changing themselves first.",
        "Gelooft een verschil te kunnen maken",
        "Believes they can make a difference",
    ),
    (
        "courageous",
        2,
        "Is moedig: durft de nek uit te steken en onbekend terrein te betreden, zonder ‘wegenkaart’.",
        "Is courageous: dares to stick their neck out and enter unknown territory without a ‘road map’.",
        "Moedig",
        "Courageous",
    ),
    (
        "believes-in-people",
        3,
        "Gelooft in mensen en hun potentieel, en maakt de kracht wakker die al in mensen aanwezig is.",
        "Believes in people and their potential, and awakens the strength that is already in them.",
        "Gelooft in mensen",
        "Believes in people",
    ),
    (
        "value-driven",
        4,
        "Is principe- en waardegedreven, belichaamt die principes en waarden en ‘is’ de eigen boodschap.",
        "Is driven by principles and values, embodies them, and ‘is’ their own message.",
        "Principe- en waardegedreven",
        "Driven by principles and values",
    ),
    (
        "lifelong-learner",
        5,
        "Houdt nooit op met leren en ziet mislukkingen niet als falen, maar als intense leermomenten.",
        "Never stops learning, and sees failures not as failing but as intense moments of learning.",
        "Blijft leren",
        "Lifelong learner",
    ),
    (
        "handles-complexity",
        6,
        "Kan uitstekend omgaan met complexiteit, paradoxen en onzekerheid, in balans tussen rationele en emotionele intelligentie.",
        "Deals very well with complexity, paradox and uncertainty, balancing rational and emotional intelligence.",
        "Gaat om met complexiteit",
        "Handles complexity",
    ),
    (
        "visionary",
        7,
        "Heeft een droom en het vermogen anderen daarvoor enthousiast te maken.",
        "Has a dream, and the ability to make others enthusiastic about it.",
        "Heeft een droom",
        "Visionary",
    ),
)


def instrument() -> Instrument:
    """Build the instrument: seven single-item trait scales and their mean."""
    items = [
        Item(
            id=item_id,
            text={"nl": dutch, "en": english},
            response=AGREEMENT,
            source=Source(
                document=SEED,
                section=f"{SIDEBAR}, trait {number}",
                note="reworded from the trait's description by leadscore; English by leadscore",
            ),
        )
        for item_id, number, dutch, english, _, _ in TRAITS
    ]
    traits = [
        Scale(id=item_id, title={"nl": nl_name, "en": en_name}, items=[item_id], min_answered=1)
        for item_id, _, _, _, nl_name, en_name in TRAITS
    ]
    overall = Scale(
        id="transformational-leadership",
        title={"nl": "Transformationeel leiderschap", "en": "Transformational leadership"},
        items=[trait[0] for trait in TRAITS],
        # At least two-thirds of the items, rounded up.
        min_answered=5,
    )
    return Instrument(
        id="tichy-transformational-leadership",
        version="0.1.0",
        title={
            "nl": "Zeven eigenschappen van transformationele leiders (Tichy)",
            "en": "Seven traits of transformational leaders (Tichy)",
        },
        description=LocalizedText(
            {
                "nl": "Hoe sterk herken je deze eigenschappen van transformationele leiders?",
                "en": "How strongly do you recognise these traits of transformational leaders?",
            }
        ),
        items=items,
        scales=[*traits, overall],
        sources=[Source(document=SEED, section=SIDEBAR)],
        notes={
            "nl": "Voorbeeld van een leadscore-plugin. De stellingen zijn herschreven uit de bron; de antwoordschaal en de Engelse teksten zijn van leadscore. Er zijn geen normen.",
            "en": "An example leadscore plugin. The statements are reworded from the source; the response scale and the English texts are leadscore's. There are no norms.",
        },
    )
