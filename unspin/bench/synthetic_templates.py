"""Synthetic families of templated text, for the template rule's tests and benchmark.

A crawl or an archive is full of text that one template produces again and again with new
figures: earnings releases, price and freight reports, sports results, weather reports,
legal notices, obituaries, press releases ending in the same boilerplate. Two members of one
family share the template's words, in order, and differ in their numbers, names and dates;
neither copied the other. Each family here is a function of a random generator that fills its
template's slots with random figures, made-up names and a few stock phrases, so the tests (and
the benchmark, on a machine without the real development set) can check the rule on as many
members as they like without any third-party text.
"""

from __future__ import annotations

import random
from collections.abc import Callable

_SYLLABLES = ("bar", "cor", "dal", "fen", "gar", "hol", "kim", "lor", "mar", "nor", "pel", "quin", "ros",
              "sal", "tor", "val", "wen", "zan", "bri", "cal", "del", "mon", "ver", "ash", "lin", "tev")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def name(rng: random.Random, syllables: int = 2) -> str:
    """A made-up proper name: "Corvalin"."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def date(rng: random.Random) -> str:
    return f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}"


def figure(rng: random.Random, low: float, high: float, places: int = 1) -> str:
    return f"{rng.uniform(low, high):,.{places}f}"


def earnings(rng: random.Random) -> str:
    """A wire service's earnings table: the same lines, new figures."""
    company = f"{name(rng)} {rng.choice(('Corp', 'Inc', 'Industries Inc', 'Group Ltd'))}"
    period = rng.choice(("1st qtr", "2nd qtr", "3rd qtr", "4th qtr", "year"))
    lines = [f"{company} <{name(rng, 1).upper()[:4]}> {period} net",
             f"{period.capitalize()} ended {date(rng)}",
             f"Shr {figure(rng, 5, 99, 2)} cts vs {figure(rng, 5, 99, 2)} cts",
             f"Net {figure(rng, 1, 900)} mln dlrs vs {figure(rng, 1, 900)} mln dlrs",
             f"Revs {figure(rng, 10, 9000)} mln dlrs vs {figure(rng, 10, 9000)} mln dlrs",
             f"Avg shrs {figure(rng, 1, 90)} mln vs {figure(rng, 1, 90)} mln"]
    if rng.random() < 0.5:
        lines.append(f"NOTE: {rng.choice(('Prior year net includes', 'Current year net excludes'))} a gain of "
                     f"{figure(rng, 1, 50)} mln dlrs, or {rng.randint(2, 60)} cts a share, from the sale of "
                     f"its {name(rng)} unit.")
    lines.append(f"The company said net income will be reduced by about {figure(rng, 1, 30)} mln dlrs in the "
                 f"{rng.choice(('current', 'next', 'fourth'))} quarter as a result of the charge.")
    return "\n".join(lines) + "\n"


def freight(rng: random.Random) -> str:
    """A daily freight-rate report: fixtures reported, cargo by cargo."""
    cargo = rng.choice(("grain", "coal", "iron ore", "sugar"))
    lines = [f"{cargo.capitalize()} freight rates reported on {date(rng)}",
             f"London, {date(rng)} - The following {cargo} fixtures were reported on the market today, "
             f"trade sources said.", ""]
    for _ in range(rng.randint(4, 7)):
        lines.append(f"{name(rng)}/{name(rng)} {rng.randint(20, 90)},000 tonnes {rng.choice(('heavy', 'light'))} "
                     f"{cargo} {rng.randint(1, 28)}-{rng.randint(1, 28)}/{rng.choice(_MONTHS)[:3]} "
                     f"{figure(rng, 8, 40, 2)} dlrs {rng.choice(('fio', 'fios', 'free in and out'))} "
                     f"{rng.randint(2, 9)},000/{rng.randint(2, 9)},000 {name(rng)}")
    lines += ["", f"Rates for the {rng.choice(('Gulf', 'North Pacific', 'River Plate'))} were "
                  f"{rng.choice(('steady', 'slightly firmer', 'a little easier'))} and owners were reported to be "
                  f"asking for higher rates on prompt tonnage, brokers said."]
    return "\n".join(lines) + "\n"


def sports(rng: random.Random) -> str:
    """A league's results and table, and the same two sentences round them."""
    league = f"{name(rng)} {rng.choice(('Premier League', 'Football League', 'Cup'))}"
    lines = [f"{league} results on {rng.choice(_DAYS)}", ""]
    for _ in range(rng.randint(5, 8)):
        lines.append(f"{name(rng)} {rng.randint(0, 5)} {name(rng)} {rng.randint(0, 5)}")
    lines += ["", f"Played on {rng.choice(_DAYS)}: {name(rng)} {rng.randint(0, 4)} {name(rng)} {rng.randint(0, 4)}",
              "", "Standings after the matches played on the weekend (tabulate under played, won, drawn, lost, "
                  "goals for, goals against, points):"]
    for _ in range(rng.randint(5, 8)):
        won, drawn, lost = rng.randint(0, 20), rng.randint(0, 10), rng.randint(0, 20)
        lines.append(f"{name(rng)} {won + drawn + lost} {won} {drawn} {lost} {rng.randint(10, 60)} "
                     f"{rng.randint(10, 60)} {3 * won + drawn}")
    return "\n".join(lines) + "\n"


def weather(rng: random.Random) -> str:
    """A city's forecast, written from a handful of stock sentences."""
    city = name(rng)
    sky = rng.choice(("Sunny", "Cloudy", "Partly cloudy", "Showers"))
    return (f"{city} weather forecast for {rng.choice(_DAYS)}, {date(rng)}\n\n"
            f"{sky} in the morning with a high near {rng.randint(2, 35)} degrees. Winds from the "
            f"{rng.choice(('north', 'south', 'east', 'west'))} at {rng.randint(5, 40)} kilometres an hour, with "
            f"gusts up to {rng.randint(40, 90)} kilometres an hour in the afternoon. The chance of rain is "
            f"{rng.randint(0, 100)} per cent. Tonight, {rng.choice(('clear', 'cloudy', 'mostly cloudy'))} with a low "
            f"around {rng.randint(-5, 20)} degrees. Sunrise is at {rng.randint(5, 8)}:{rng.randint(10, 59)} and "
            f"sunset at {rng.randint(16, 21)}:{rng.randint(10, 59)}. The forecast for the weekend is for "
            f"{rng.choice(('more of the same', 'milder weather', 'a return of the rain'))}, with temperatures "
            f"{rng.choice(('close to', 'a little above', 'well below'))} the seasonal average for {city}.\n")


def legal_notice(rng: random.Random) -> str:
    """A public notice of a creditors' claim, as a court or newspaper prints hundreds."""
    person = f"{name(rng)} {name(rng)}"
    return (f"NOTICE TO CREDITORS\n\nIn the matter of the estate of {person}, deceased. Case number "
            f"{rng.randint(10, 99)}-{rng.randint(1000, 9999)}.\n\n"
            f"Notice is hereby given that {name(rng)} {name(rng)} has been appointed personal representative of the "
            f"estate of {person}, who died on {date(rng)}, {rng.randint(2015, 2024)}, in {name(rng)} County. All "
            f"persons having claims against the estate are required to present them to the personal representative "
            f"or to the clerk of the court within four months after the date of the first publication of this "
            f"notice, or the claims will be forever barred. Date of first publication: {date(rng)}, "
            f"{rng.randint(2015, 2024)}. Attorney for the personal representative: {name(rng)} {name(rng)}, "
            f"{rng.randint(10, 999)} {name(rng)} Street, {name(rng)}.\n")


def obituary(rng: random.Random) -> str:
    """A funeral home's death notice: a life in the same sentences, with other names and dates."""
    person, spouse = f"{name(rng)} {name(rng)}", name(rng)
    born = rng.randint(1925, 1960)
    return (f"{person}\n\n{person}, {rng.randint(60, 99)}, of {name(rng)}, passed away peacefully on "
            f"{rng.choice(_DAYS)}, {date(rng)}, surrounded by {rng.choice(('her', 'his'))} loving family. "
            f"Born on {date(rng)}, {born}, in {name(rng)}, {person.split()[0]} worked for "
            f"{rng.randint(10, 40)} years at {name(rng)} {rng.choice(('Hospital', 'Mills', 'High School'))} before "
            f"retiring in {born + rng.randint(55, 65)}. {rng.choice(('She', 'He'))} is survived by "
            f"{spouse}, {rng.randint(1, 5)} children and {rng.randint(1, 12)} grandchildren. Visitation will be held "
            f"from {rng.randint(2, 5)} to {rng.randint(6, 8)} p.m. on {rng.choice(_DAYS)} at the {name(rng)} "
            f"Funeral Home, with a service at {rng.randint(9, 11)} a.m. the following day. In lieu of flowers, the "
            f"family asks that donations be made to the {name(rng)} {rng.choice(('Hospice', 'Library', 'Fund'))}.\n")


def press_release(rng: random.Random, company: str | None = None) -> str:
    """A company's press release: a new announcement, then the boilerplate every one of its
    releases ends with (the same ``company`` gives the same boilerplate)."""
    company = company or name(rng)
    boiler = random.Random(company)  # the boilerplate is the company's: the same in every release
    product = f"{name(rng)} {rng.choice(('Pro', 'Cloud', 'One', 'Suite'))}"
    return (f"{company} announces {product}\n\n{name(rng, 3)}, {date(rng)} - {company} today announced "
            f"{product}, which {rng.choice(('cuts', 'halves', 'trims'))} the time {name(rng)} customers spend on "
            f"{rng.choice(('invoices', 'audits', 'shipping', 'payroll'))} by {rng.randint(10, 70)} per cent, "
            f"according to a trial with {rng.randint(3, 40)} firms. \"{name(rng)} asked for this,\" said "
            f"{name(rng)} {name(rng)}, the company's {rng.choice(('chief executive', 'head of product'))}. It costs "
            f"{rng.randint(5, 99)} dollars a month and ships on {date(rng)}.\n\n"
            f"About {company}\n\n{company} is a {boiler.choice(('leading', 'global', 'trusted'))} provider of "
            f"{boiler.choice(('software', 'services', 'tools'))} that help businesses of every size manage their "
            f"operations, with offices in {boiler.randint(5, 40)} countries and more than "
            f"{boiler.randint(2, 90)},000 customers around the world. This press release contains forward-looking "
            f"statements that involve risks and uncertainties, and actual results may differ materially from those "
            f"projected. For more information, visit the company's website or contact its press office.\n")


FAMILIES: dict[str, Callable[[random.Random], str]] = {
    "earnings": earnings,
    "freight": freight,
    "sports": sports,
    "weather": weather,
    "legal-notice": legal_notice,
    "obituary": obituary,
    "press-release": press_release,
}


def members(family: str, count: int, seed: int = 0) -> list[str]:
    """``count`` members of one family, the same for the same seed."""
    rng = random.Random(f"{family}/{seed}")
    return [FAMILIES[family](rng) for _ in range(count)]
