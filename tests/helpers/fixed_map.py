"""One fixed map (ids and times included) that every export's golden file is made from."""

from __future__ import annotations

from cxmap_tui.domain.model import ExperienceMap, Improvement, Touchpoint


def fixed_map() -> ExperienceMap:
    tps = [
        Touchpoint("Instagram ad", "Sees a friend share a lamp", "Awareness", "Social media", "Marketing",
                   "Spring campaign", 1, "That looks nice in her living room.", id="a1000001"),
        Touchpoint("Search result", "Searches for the shop by name", "Awareness", "Web", "Marketing", "", None, "",
                   id="a1000002"),
        Touchpoint("Product page", "Reads sizes and reviews", "Consideration", "Web", "Web team",
                   "Reviews come from the review service", 2, "Lots of photos from real homes, great.",
                   id="a1000003"),
        Touchpoint("Delivery costs", "Looks for shipping prices", "Consideration", "Web", "Web team",
                   "Only shown at checkout", -1, "Why is this hidden until the end?", id="a1000004"),
        Touchpoint("Basket", "Adds the lamp and a bulb", "Purchase", "Web", "Web team", "", 0, "", id="a1000005"),
        Touchpoint("Account wall", "Is asked to make an account", "Purchase", "Web", "Web team",
                   "Guest checkout was removed in 2024", -2, "I just want to pay.\nNot another password.",
                   id="a1000006"),
        Touchpoint("Payment", "Pays by card", "Purchase", "Web", "Payments", "", 1, "Quick enough.", id="a1000007"),
        Touchpoint("Order confirmation", "Reads the confirmation e-mail", "Purchase", "E-mail", "CRM", "", None, "",
                   id="a1000008"),
        Touchpoint("Delivery", "Gets the parcel at home", "Use", "In person", "Logistics",
                   "Carrier gives a two-hour window", 2, "Right on time!", id="a1000009"),
        Touchpoint("Assembly", "Puts the lamp together", "Use", "In-product", "Product", "Leaflet only",
                   -1, "Step 4 makes no sense.", id="a1000010"),
        Touchpoint("Review request", "Gets an e-mail asking for a review", "", "E-mail", "CRM", "", 0, "",
                   id="a1000011"),
    ]
    imps = [
        Improvement("Show delivery costs on the product page", "A line under the price, per country.",
                    ["a1000004"], 4, 3, 2, "planned", "Web team", id="b2000001"),
        Improvement("Bring back guest checkout", "", ["a1000006", "a1000007"], 5, 4, 3, "in-progress",
                    "Payments", id="b2000002"),
        Improvement("Picture-based assembly guide", "Drawings per step; a short video later.", ["a1000010"],
                    3, 2, 2, "idea", "", id="b2000003"),
    ]
    m = ExperienceMap(
        title="Ordering a lamp from the web shop",
        experience="store",
        scope="A first-time customer finds, buys and sets up a floor lamp",
        persona="First-time buyer",
        kind="current",
        stages=["Awareness", "Consideration", "Purchase", "Use"],
        touchpoints=tps,
        improvements=imps,
        id="c3000001",
        created="2026-01-05T09:00:00Z",
        updated="2026-01-06T15:30:00Z",
        revision=4,
    )
    m.validate()
    return m
