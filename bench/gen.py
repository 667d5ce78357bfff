#!/usr/bin/env python3
"""
bench/gen.py -- build a realistic, reproducible crm store for the benchmarks.

    bench/gen.py --customers N --seed S --history-days 365 --out DIR
                 [--now 2026-11-23T12:00:00+01:00] [--crm ./crm]
                 [--vcards DIR] [--tasks FILE] [--csv FILE] [--meta FILE]
                 [--check]

The same arguments always give the same store, byte for byte (commit ids
included).  Every record is what crm itself writes: gen.py models each
customer as the sequence of crm commands a team would have run (add, log,
deal add, deal set, followup add, followup done, set), renders the record
after every command exactly as crm renders it (libyaml through PyYAML's
CEmitter, with crm's quoting rules), and feeds one commit per command to
`git fast-import`.  Commands older than --history-days are folded into one
initial commit; the rest become a year of crm-style commits with the
author, committer and date of the teammate who ran them.

--check (after building, or alone on an existing DIR built with the same
arguments) picks 50 random customers and verifies on a throwaway clone:
the file equals the model; `crm show <id> --json` reads it; `crm set <id>
x=1` then `crm set <id> x=` leaves it byte-identical; and replaying the
customer's commands with the real crm (CRM_NOW pinned per command) in an
empty store gives the same bytes and the same commit messages, authors and
dates as the generated history.

Python 3 standard library plus PyYAML only.  The team's clock is
Europe/Berlin (TZ=CET-1CEST,M3.5.0,M10.5.0/3, which needs no tzdata).
"""
import argparse
import bisect
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid

import yaml
from yaml.events import (DocumentEndEvent, DocumentStartEvent,
                         MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent,
                         StreamEndEvent, StreamStartEvent)

TZ_BERLIN = "CET-1CEST,M3.5.0,M10.5.0/3"
DEFAULT_NOW = "2026-11-23T12:00:00+01:00"
DAY = 86400
BRANCH = "main"

# --------------------------------------------------------------------------
# time: the team works in Europe/Berlin


_dst_cache = {}


def _last_sunday_utc(year, month):
    d = dt.date(year, month, 31)
    d -= dt.timedelta(days=(d.weekday() + 1) % 7)
    return int(dt.datetime(d.year, d.month, d.day, 1, 0,
                           tzinfo=dt.timezone.utc).timestamp())


def berlin_offset(t):
    """UTC offset in minutes of Europe/Berlin at epoch t."""
    year = time.gmtime(t).tm_year
    b = _dst_cache.get(year)
    if b is None:
        b = _dst_cache[year] = (_last_sunday_utc(year, 3),
                                _last_sunday_utc(year, 10))
    return 120 if b[0] <= t < b[1] else 60


def fmt_moment(t, off):
    g = time.gmtime(t + off * 60)
    a = abs(off)
    return "%04d-%02d-%02dT%02d:%02d:%02d%s%02d:%02d" % (
        g.tm_year, g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec,
        "-" if off < 0 else "+", a // 60, a % 60)


def local_moment(t):
    return fmt_moment(t, berlin_offset(t))


def local_date(t):
    g = time.gmtime(t + berlin_offset(t) * 60)
    return dt.date(g.tm_year, g.tm_mon, g.tm_mday)


def local_epoch(d, secs):
    """Epoch of local Berlin wall time d (a date) + secs after midnight."""
    naive = int(dt.datetime(d.year, d.month, d.day,
                            tzinfo=dt.timezone.utc).timestamp()) + secs
    return naive - berlin_offset(naive - 3600) * 60


def parse_moment(s):
    d = dt.datetime.fromisoformat(s)
    if d.tzinfo is None:
        raise ValueError("--now needs a UTC offset: %s" % s)
    return int(d.timestamp())


def git_tz(off):
    a = abs(off)
    return "%s%02d%02d" % ("-" if off < 0 else "+", a // 60, a % 60)


# --------------------------------------------------------------------------
# crm's ids: lib/slug.c


_FOLD_SPECIAL = {
    0x00df: "ss", 0x00e6: "ae", 0x00c6: "ae", 0x00f8: "o", 0x00d8: "o",
    0x0111: "d", 0x0110: "d", 0x00f0: "d", 0x00d0: "d", 0x0142: "l",
    0x0141: "l", 0x0153: "oe", 0x0152: "oe", 0x00fe: "th", 0x00de: "th",
    0x0131: "i", 0x0127: "h", 0x0126: "h", 0x0167: "t", 0x0166: "t",
    0x014b: "ng", 0x014a: "ng", 0x1e9e: "ss",
}
_RESERVED = {"con", "prn", "aux", "nul"} | {"com%d" % i for i in range(10)} \
    | {"lpt%d" % i for i in range(10)}
SLUG_MAX = 48


def crm_fold(s):
    out = []
    for ch in unicodedata.normalize("NFKD", s):
        if unicodedata.category(ch).startswith("M"):
            continue
        c = ord(ch)
        sp = _FOLD_SPECIAL.get(c)
        if sp:
            out.append(sp)
        elif c < 0x80:
            out.append(ch.lower() if "A" <= ch <= "Z" else ch)
        else:
            out.append(ch.lower())
    return "".join(out)


def crm_slug(name):
    slug = []
    pending = False
    for ch in crm_fold(name):
        if not ("a" <= ch <= "z" or "0" <= ch <= "9"):
            pending = len(slug) > 0
            continue
        if pending:
            slug.append("-")
        pending = False
        slug.append(ch)
    s = "".join(slug)
    if len(s) > SLUG_MAX:
        cut = SLUG_MAX
        if s[cut] != "-":
            h = s.rfind("-", 0, cut)
            if h >= 0 and h >= SLUG_MAX // 2:
                cut = h
        s = s[:cut].rstrip("-")
    if not s:
        h = 0xcbf29ce484222325
        for b in unicodedata.normalize("NFC", name).encode():
            h ^= b
            h = (h * 0x100000001b3) & 0xffffffffffffffff
        s = "c-%08x" % (h & 0xffffffff)
    if s in _RESERVED:
        s += "-1"
    return s


def record_path(cid):
    h = hashlib.sha1(b"blob %d\0%s" % (len(cid), cid.encode())).hexdigest()
    return "customers/%s/%s.yml" % (h[:2], cid)


# --------------------------------------------------------------------------
# crm's YAML: lib/yaml.c (libyaml, block style, width -1, indent 2, unicode)

_NON_STRING = {"~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES",
               "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
               "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
               ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "<<", "="}


def _all_in(s, chars):
    return s != "" and all(c in chars for c in s)


def _looks_numeric(s):
    if s[:2] in ("0x", "0X"):
        return _all_in(s[2:], "0123456789abcdefABCDEF_")
    if s[:2] in ("0o", "0O"):
        return _all_in(s[2:], "01234567_")
    if s[:2] in ("0b", "0B"):
        return _all_in(s[2:], "01_")
    if len(s) >= 8 and s[1:4].isascii() and s[1:4].isdigit() and s[4] == "-":
        return True
    return _all_in(s, "0123456789_.:eE+-")


def plain_is_string(s):
    """crm_yaml_plain_is_string()"""
    if not s or s in _NON_STRING:
        return False
    if s[0] in "+-." and len(s) > 1 and (s[1].isascii() and s[1].isdigit()
                                         or s[1] in ".iInN"):
        return False
    if "0" <= s[0] <= "9":
        return not _looks_numeric(s)
    return True


def _style_for(s):
    """crm's scalar_style() for a string it made (CRM_STYLE_AUTO)."""
    if "\n" in s:
        return "|"
    if not plain_is_string(s):
        return '"'
    return None


def _emit(events):
    if not getattr(yaml, "__with_libyaml__", False):
        raise SystemExit("gen.py needs PyYAML built with libyaml (crm writes "
                         "through libyaml): apt-get install python3-yaml")
    return yaml.emit(events, Dumper=yaml.CDumper, allow_unicode=True,
                     width=-1, indent=2, line_break="\n")


def _sc(v, style=None):
    return ScalarEvent(None, None, (True, True), v, style=style)


def emit_block_value(s, in_entry):
    """The text libyaml writes after 'k: ' for string s, no final newline.
    in_entry: the key is in a map that is an item of a top-level list."""
    inner = [MappingStartEvent(None, None, True, flow_style=False), _sc("k"),
             _sc(s, _style_for(s)), MappingEndEvent()]
    if in_entry:
        inner = [SequenceStartEvent(None, None, True, flow_style=False)] + \
            inner + [SequenceEndEvent()]
    out = _emit([StreamStartEvent(), DocumentStartEvent(explicit=False)] +
                inner + [DocumentEndEvent(explicit=False), StreamEndEvent()])
    prefix = "- k: " if in_entry else "k: "
    assert out.startswith(prefix) and out.endswith("\n"), out
    return out[len(prefix):-1]


def emit_flow_item(s):
    out = _emit([StreamStartEvent(), DocumentStartEvent(explicit=False),
                 MappingStartEvent(None, None, True, flow_style=False),
                 _sc("k"), SequenceStartEvent(None, None, True, flow_style=True),
                 _sc(s, _style_for(s)), SequenceEndEvent(), MappingEndEvent(),
                 DocumentEndEvent(explicit=False), StreamEndEvent()])
    assert out.startswith("k: [") and out.endswith("]\n"), out
    return out[4:-2]


# Strings that libyaml certainly writes plain in block and flow context.
_SAFE = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f .@'_+/()&-]*"
                   r"(?<! )\Z")
_block_cache = {}
_entry_cache = {}
_flow_cache = {}


def S(s):
    """A string as the value of a top-level key."""
    r = _block_cache.get(s)
    if r is None:
        if _SAFE.match(s) and s not in _NON_STRING:
            r = s
        else:
            r = emit_block_value(s, False)
        _block_cache[s] = r
    return r


def SE(s):
    """A string as the value of a key in a log/deal/followup entry."""
    r = _entry_cache.get(s)
    if r is None:
        if _SAFE.match(s) and s not in _NON_STRING:
            r = s
        else:
            r = emit_block_value(s, True)
        _entry_cache[s] = r
    return r


def F(s):
    """A string as an item of a flow list [a, b]."""
    r = _flow_cache.get(s)
    if r is None:
        if _SAFE.match(s) and s not in _NON_STRING:
            r = s
        else:
            r = emit_flow_item(s)
        _flow_cache[s] = r
    return r


# --------------------------------------------------------------------------
# vocabularies

TEAM = [  # user, name, weight as owner
    ("alice", "Alice Martin", 22), ("bob", "Bob Schneider", 18),
    ("carol", "Carol Dubois", 15), ("dave", "Dave Okafor", 12),
    ("erin", "Erin Walsh", 11), ("frank", "Frank Nowak", 9),
    ("grace", "Grace Lindqvist", 8), ("heidi", "Heidi Brandt", 5),
]
TEAM_NAME = {u: n for u, n, _ in TEAM}


def make_staff(n):
    """The 8 account owners, and for a store larger than 10,000 customers
    more colleagues who log calls (8 people per 10,000 customers), so that
    each person makes about the same number of commits a day."""
    staff = [u for u, _, _ in TEAM]
    want = max(8, round(8 * n / 10000))
    rng = random.Random("staff")
    firsts = CULTURES["en"][1].split() + CULTURES["de"][1].split()
    lasts = CULTURES["en"][2].split() + CULTURES["de"][2].split()
    while len(staff) < want:
        first, last = rng.choice(firsts), rng.choice(lasts).replace("_", " ")
        user = crm_slug(first).replace("-", "")
        k = 1
        while (user if k == 1 else "%s%d" % (user, k)) in staff:
            k += 1
        user = user if k == 1 else "%s%d" % (user, k)
        staff.append(user)
        TEAM_NAME[user] = "%s %s" % (first, last)
    return staff
TEAM_DOMAIN = "northwind-agency.example"

CULTURES = {
    # weight, first names, last names, phone style, email domains, tld, cities
    "en": (34,
           "James Mary John Patricia Robert Jennifer Michael Linda William "
           "Elizabeth David Barbara Richard Susan Joseph Jessica Thomas Sarah "
           "Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony "
           "Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily "
           "Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian "
           "Dorothy George Melissa Timothy Deborah Ronald Stephanie Edward "
           "Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen "
           "Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda "
           "Larry Pamela Justin Emma Scott Nicole Brandon Helen Benjamin "
           "Samantha Samuel Katherine Gregory Christine Alexander Debra Frank "
           "Rachel Patrick Carolyn Raymond Janet Jack Catherine Dennis Maria "
           "Jerry Heather Tyler Diane Aaron Ruth Siobhán Seán Niamh Zoë Chloë",
           "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez "
           "Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor "
           "Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
           "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres "
           "Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell "
           "Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker "
           "Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook "
           "Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly "
           "Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood "
           "James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
           "Sanders Patel Myers Long Ross Foster Jimenez O'Brien O'Connor "
           "McCarthy Ó_Súilleabháin Fitzgerald Byrne Doyle",
           "uk", ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com",
                  "btinternet.com", "hotmail.com"], ["co.uk", "com", "io"],
           "London Manchester Bristol Leeds Edinburgh Dublin Boston Chicago "
           "Austin Seattle Denver Toronto"),
    "de": (24,
           "Lukas Leon Finn Jonas Paul Felix Maximilian Elias Noah Ben Luis "
           "Moritz Jan Tim Niklas Philipp Tobias Sebastian Florian Julian "
           "Matthias Stefan Andreas Thomas Michael Christian Markus Jürgen "
           "Jörg Günter Uwe Dieter Klaus Wolfgang Hans Rüdiger Björn Sören "
           "Anna Lea Lena Hannah Emma Mia Sophie Marie Laura Julia Lisa "
           "Katharina Sarah Johanna Clara Paula Charlotte Greta Frieda Jana "
           "Sabine Petra Ursula Monika Gabriele Birgit Heike Kerstin Anke "
           "Brigitte Renate Dörte Käthe Löwe Annegret Friederike Ilse Gudrun",
           "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz "
           "Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann "
           "Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt "
           "Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler "
           "Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz "
           "Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther "
           "Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht "
           "Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer "
           "Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas "
           "Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel "
           "Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer "
           "Müller-Lüdenscheidt von_der_Heide Straßburger Großmann Weißenborn",
           "de", ["gmx.de", "web.de", "t-online.de", "gmail.com",
                  "posteo.de", "mailbox.org"], ["de", "de", "com", "at", "ch"],
           "Berlin Hamburg München Köln Frankfurt Stuttgart Düsseldorf "
           "Leipzig Dresden Nürnberg Wien Zürich"),
    "fr": (12,
           "Jean Pierre Michel André Philippe René Louis Alain Jacques Bernard "
           "Marcel Daniel Roger Robert Paul Claude Christian Henri Georges "
           "Nicolas François Frédéric Jérôme Stéphane Sébastien Hervé Benoît "
           "Loïc Gaël Anaïs Marie Jeanne Françoise Monique Catherine Nathalie "
           "Isabelle Sylvie Anne Martine Christine Valérie Céline Hélène "
           "Sandrine Aurélie Émilie Léa Chloé Manon Camille Inès Zoé Maëlle "
           "Noémie Mélanie Géraldine Joëlle",
           "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau "
           "Laurent Simon Michel Lefèvre Leroy Roux David Bertrand Morel "
           "Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent "
           "Muller Lefebvre Faure André Mercier Blanc Guérin Boyer Garnier "
           "Chevalier François Legrand Gauthier Garcia Perrin Robin Clément "
           "Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand "
           "Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun "
           "Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier "
           "Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin "
           "Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas "
           "Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc "
           "Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy "
           "Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin Louis "
           "Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet "
           "Adam Paris Poirier Marty Aubry Guyot Carré Charles Renault "
           "Charpentier Ménard Maillard Baron Bertin Bailly Hervé Schneider "
           "Fernandez Le_Gall Collet Léger Bouvier Julien Prévost Millet "
           "Perrot Daniel Le_Roux Cousin Germain Breton Besson Langlois "
           "Rémy Le_Goff Pelletier Lévêque Perrier Leblanc Barré Lebrun "
           "Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud "
           "Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier "
           "Chevallier Collin Chauvin Da_Silva Bouchet Gay Lemaître Bénard "
           "Maréchal Humbert Reynaud Antoine Hoarau Perret Barthélemy Cordier",
           "fr", ["orange.fr", "free.fr", "laposte.net", "gmail.com",
                  "sfr.fr", "wanadoo.fr"], ["fr", "fr", "com", "be"],
           "Paris Lyon Marseille Toulouse Bordeaux Lille Nantes Strasbourg "
           "Bruxelles Genève"),
    "es": (10,
           "José Antonio Manuel Francisco Juan David Javier Daniel Carlos "
           "Jesús Alejandro Miguel Rafael Pablo Pedro Ángel Sergio Fernando "
           "Jorge Luis Alberto Álvaro Adrián Diego Raúl Iván Rubén Óscar "
           "Andrés Joaquín Santiago Tomás Víctor Ramón Emilio María Carmen "
           "Ana Isabel Laura Cristina Marta Lucía Elena Paula Sara Raquel "
           "Rosa Pilar Silvia Beatriz Patricia Nuria Mónica Rocío Inés "
           "Begoña Ainhoa Núria Sofía Valentina Camila Martina Verónica",
           "García González Rodríguez Fernández López Martínez Sánchez Pérez "
           "Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez "
           "Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos "
           "Gil Ramírez Serrano Blanco Molina Morales Suárez Ortega Delgado "
           "Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido "
           "Cortés Castillo Santos Lozano Guerrero Cano Prieto Méndez Cruz "
           "Calvo Gallego Vidal León Márquez Herrera Peña Flores Cabrera "
           "Campos Vega Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar "
           "Pascual Santana Herrero Lorenzo Montero Hidalgo Giménez Ibáñez "
           "Ferrer Durán Santiago Benítez Mora Vicente Vargas Arias Carmona "
           "Crespo Román Pastor Soto Sáez Velasco Moya Soler Parra Esteban "
           "Bravo Gallardo Rojas",
           "es", ["gmail.com", "hotmail.es", "yahoo.es", "telefonica.net",
                  "outlook.es"], ["es", "es", "com", "mx"],
           "Madrid Barcelona Valencia Sevilla Bilbao Málaga Zaragoza "
           "Ciudad_de_México Buenos_Aires"),
    "it": (5,
           "Francesco Alessandro Lorenzo Matteo Leonardo Andrea Gabriele "
           "Riccardo Tommaso Edoardo Giuseppe Giovanni Antonio Marco Luca "
           "Niccolò Nicolò Sofia Giulia Aurora Alice Ginevra Emma Giorgia "
           "Greta Beatrice Chiara Francesca Federica Elisa Martina",
           "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino "
           "Greco Bruno Gallo Conti De_Luca Mancini Costa Giordano Rizzo "
           "Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso "
           "Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo "
           "Serra Coppola De_Santis D'Angelo Marchetti Parisi Villa Conte "
           "Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina Sala "
           "De_Angelis Gatti Pellegrini Palumbo Sanna Farina Rizzi Monti "
           "Cattaneo Morelli Amato Silvestri Mazza Testa Grassi Pellegrino "
           "Carbone Giuliani Benedetti Barone Rossetti Caputo Montanari "
           "Guerra Palmieri Bernardi Martino Fiore De_Rosa Ferretti Bellini "
           "Basile Riva Donati Piras Vitali Battaglia Sartori Neri Costantini "
           "Milani Pagano Ruggiero Sorrentino D'Amico Orlando Damico Negri",
           "it", ["libero.it", "gmail.com", "virgilio.it", "alice.it",
                  "tiscali.it"], ["it", "it", "com"],
           "Roma Milano Napoli Torino Bologna Firenze Venezia Genova"),
    "nl": (3,
           "Daan Sem Lucas Levi Finn Milan Bram Lars Thijs Ruben Jesse Stijn "
           "Sanne Femke Fleur Lotte Anouk Eva Lieke Iris Noor Roos Maaike "
           "Joëlle Chloë",
           "de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Janssen "
           "Visser Smit Meijer de_Boer Mulder de_Groot Bos Vos Peters "
           "Hendriks van_Leeuwen Dekker Brouwer de_Wit Dijkstra Smits "
           "de_Graaf van_der_Meer van_der_Linden Kok Jacobs de_Haan Vermeulen "
           "van_den_Heuvel van_der_Veen van_den_Broek de_Bruijn de_Bruin "
           "van_der_Heijden Schouten van_Beek Willems van_Vliet van_de_Ven "
           "Hoekstra Maas Verhoeven Koster van_Dam van_der_Wal Prins Blom",
           "nl", ["gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl"],
           ["nl", "nl", "com", "be"],
           "Amsterdam Rotterdam Utrecht Eindhoven Den_Haag Antwerpen Gent"),
    "nordic": (3,
               "Søren Jørgen Bjørn Åke Lars Nils Magnus Anders Erik Oskar "
               "Henrik Mikael Jens Niels Astrid Åsa Ingrid Sigrid Linnéa "
               "Maja Freja Solveig Kirsten Mette Birgitta Märta Ærin",
               "Hansen Johansson Nielsen Andersson Jensen Karlsson Larsen "
               "Nilsson Pedersen Eriksson Olsen Larsson Sørensen Olsson "
               "Rasmussen Persson Jørgensen Svensson Petersen Gustafsson "
               "Kristensen Pettersson Møller Jonsson Lindqvist Lindström "
               "Bergström Åberg Østergaard Ødegård Sjöberg Hägg Strøm Dahl "
               "Lindgren Virtanen Mäkinen Nieminen Järvinen",
               "se", ["gmail.com", "outlook.com", "telia.com", "hotmail.se"],
               ["se", "dk", "no", "fi"],
               "Stockholm Göteborg København Aarhus Oslo Bergen Helsinki "
               "Malmö"),
    "pl": (3,
           "Łukasz Paweł Michał Krzysztof Piotr Tomasz Marcin Grzegorz "
           "Wojciech Jakub Mateusz Kamil Maciej Zbigniew Bartłomiej Agnieszka "
           "Małgorzata Katarzyna Magdalena Joanna Anna Ewa Barbara Żaneta "
           "Dorota Beata Jolanta Grażyna Bożena Iwona",
           "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski "
           "Zieliński Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur "
           "Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski "
           "Michalski Nowicki Adamczyk Dudek Zając Wieczorek Jabłoński Król "
           "Majewski Olszewski Jaworski Wróbel Malinowski Pawlak Witkowski "
           "Walczak Stępień Górski Rutkowski Michalak Sikora Ostrowski "
           "Baran Duda Szewczyk Tomaszewski Pietrzak Marciniak Wróblewski "
           "Zalewski Jakubowski Jasiński Zawadzki Sadowski Bąk Chmielewski "
           "Włodarczyk Borkowski Czarnecki Sawicki Sokołowski Urbański Kubiak "
           "Maciejewski Szczepański Kucharski Wilk Kalinowski Lis Mazurek "
           "Wysocki Adamski Kaźmierczak Wasilewski Sobczak Czerwiński "
           "Andrzejewski Cieślak Głowacki Zakrzewski Kołodziej Sikorski",
           "pl", ["wp.pl", "onet.pl", "interia.pl", "gmail.com", "o2.pl"],
           ["pl", "pl", "com"],
           "Warszawa Kraków Łódź Wrocław Poznań Gdańsk Szczecin"),
    "tr": (2,
           "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf "
           "Murat Ömer Emre Burak Çağrı Ayşe Fatma Emine Hatice Zeynep Elif "
           "Özlem Gülşen Şule Büşra Sevgi Çiğdem",
           "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın "
           "Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan "
           "Şimşek Polat Özcan Korkmaz Çakır Erdoğan Yavuz Can Acar Şen "
           "Aktaş Güler Yalçın Güneş Bozkurt Bulut Keskin Ünal Turan Gül "
           "Özer Işık Kaplan Avcı Sarı Tekin Taş Köse Yüksel Ateş Aktürk",
           "tr", ["gmail.com", "hotmail.com", "yandex.com.tr"],
           ["com.tr", "com"], "İstanbul Ankara İzmir Bursa Antalya"),
    "pt": (2,
           "João António José Francisco Tiago Gonçalo Duarte Rodrigo Afonso "
           "Sebastião Maria Ana Inês Beatriz Leonor Matilde Carolina Mariana "
           "Conceição Fátima",
           "Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins "
           "Jesus Sousa Fernandes Gonçalves Gomes Lopes Marques Alves Almeida "
           "Ribeiro Pinto Carvalho Teixeira Moreira Correia Mendes Nunes "
           "Soares Vieira Monteiro Cardoso Rocha Raposo Neves Coelho Cruz "
           "Cunha Pires Ramos Reis Simões Antunes Matos Fonseca Machado "
           "Araújo Barbosa Tavares Lourenço Castro Figueiredo Azevedo Freitas "
           "Magalhães Brandão Conceição Gaspar Guimarães Falcão",
           "pt", ["gmail.com", "sapo.pt", "hotmail.com", "uol.com.br"],
           ["pt", "com.br", "com"], "Lisboa Porto Braga Coimbra São_Paulo"),
    "intl": (2,
             "王伟 李娜 张敏 刘洋 陈静 Дмитрий Анна Сергей Ольга Γιώργος Μαρία "
             "Νίκος 佐藤 鈴木 김민준 이서연 Yuki Hiroshi Wei Li Priya Rahul "
             "Ananya Arjun Aarav Saanvi Kwame Amara Chidi Ngozi Omar Layla",
             "_ _ _ _ _ Иванов Смирнова Кузнецов Попова Παπαδόπουλος "
             "Οικονόμου Tanaka Watanabe Ito Yamamoto Nakamura Chen Wang Zhang "
             "Liu Sharma Gupta Singh Kumar Mensah Okafor Adeyemi Haddad "
             "Nasser Khalil",
             "intl", ["gmail.com", "outlook.com", "yahoo.com", "qq.com"],
             ["com", "jp", "in", "cn"], "Tokyo Shanghai Mumbai Bangalore "
             "Lagos Nairobi Dubai Singapore"),
}

COMPANY_WORDS_A = (
    "Blue Red Green Silver Golden Northern Southern Eastern Western Nordic "
    "Alpine Coastal Urban Bright Clear Swift Solid Smart Open Prime Bold True "
    "Pure Rapid Quiet Happy Little Grand New Old Royal Iron Stone Oak Maple "
    "Cedar Pine Harbor River Lake Summit Peak Valley Meadow Sunrise Sunset "
    "Polar Atlas Orion Vega Nova Apex Vertex Zenith Pixel Quantum Vector "
    "Cobalt Crimson Amber Ivory Onyx Jade Coral Velvet Copper Birch Willow"
).split()
COMPANY_WORDS_B = (
    "Labs Works Studio Systems Solutions Digital Media Design Consulting "
    "Partners Group Logistics Foods Bakery Brewery Motors Interiors Architects "
    "Analytics Software Networks Energy Health Dental Legal Finance Capital "
    "Ventures Robotics Print Textiles Furniture Travel Events Security Cloud "
    "Hosting Marketing Garden Kitchen Coffee Tea Books Records Fitness Yoga "
    "Apparel Optics Pharma Bikes Builders Roofing Plumbing Electric"
).split()
COMPANY_SUFFIX = {
    "en": ["Ltd", "Ltd.", "LLC", "Inc.", "Co.", "", "", "& Co", "Limited"],
    "de": ["GmbH", "GmbH", "AG", "KG", "GmbH & Co. KG", "e.K.", "UG"],
    "fr": ["SARL", "SAS", "SA", "", "& Fils"],
    "es": ["S.L.", "S.A.", "S.L.U.", ""],
    "it": ["S.r.l.", "S.p.A.", ""],
    "nl": ["B.V.", "N.V.", ""],
    "nordic": ["AB", "A/S", "AS", "Oy"],
    "pl": ["Sp. z o.o.", "S.A."],
    "tr": ["A.Ş.", "Ltd. Şti."],
    "pt": ["Lda.", "S.A.", "Ltda."],
    "intl": ["Co., Ltd.", "Pvt. Ltd.", "Pte. Ltd.", "FZE", "Inc."],
}
COMPANY_LOCAL = {
    "de": "Müller Schröder Bäckerei Holzbau Gärtnerei Brauhaus Elektro "
          "Werkstatt Möbel Schreinerei Fahrräder Steuerberatung".split(),
    "fr": "Boulangerie Café Atelier Maison Librairie Pâtisserie Cabinet "
          "Éditions Société Fromagerie".split(),
    "es": "Panadería Taller Construcciones Café Librería Asesoría "
          "Distribuciones Logística".split(),
    "it": "Pasticceria Trattoria Officina Studio Costruzioni Caffè".split(),
    "nordic": "Bageri Snickeri Kaffebar Byggfirma Design".split(),
    "pl": "Piekarnia Kawiarnia Warsztat Drukarnia".split(),
    "tr": "Fırın Kahvecisi Tekstil İnşaat".split(),
    "pt": "Padaria Café Oficina Construções".split(),
}

TAGS = [  # (tag, weight)
    ("lead", 30), ("customer", 28), ("prospect", 16), ("newsletter", 14),
    ("web", 12), ("partner", 8), ("referral", 8), ("smb", 8),
    ("enterprise", 5), ("startup", 6), ("design", 6), ("seo", 5),
    ("hosting", 5), ("retainer", 4), ("mobile", 4), ("b2b", 4), ("b2c", 3),
    ("nonprofit", 2), ("public-sector", 2), ("cold", 4), ("warm", 4),
    ("churned", 3), ("event-2025", 2), ("event-2026", 3), ("supplier", 2),
    ("press", 1), ("investor", 1), ("reseller", 2), ("e-commerce", 3),
    ("berlin", 2), ("london", 2), ("paris", 1), ("remote", 1),
]
SOURCES = ["web", "referral", "event", "linkedin", "cold-call", "partner",
           "newsletter", "google-ads", "trade fair", "word of mouth"]
INDUSTRIES = ["software", "retail", "manufacturing", "healthcare",
              "hospitality", "education", "finance", "real estate",
              "logistics", "media", "legal", "construction", "energy",
              "food & beverage", "non-profit", "public sector", "tourism"]
PROJECTS = [
    "Website redesign", "SEO audit", "Hosting renewal", "Mobile app MVP",
    "Support retainer", "Brand identity", "Online shop", "Data migration",
    "Newsletter templates", "Accessibility review", "Cloud migration",
    "Training workshop", "Annual maintenance", "CRM integration",
    "Photo shoot", "Intranet relaunch", "Security audit", "Logo refresh",
    "Landing pages Q1", "Landing pages Q3", "Product catalogue",
    "Booking system", "Analytics setup", "Social media campaign",
    "Copywriting package", "Print brochure", "Video production",
    "API integration", "Performance tuning", "WordPress update",
    "Shopify migration", "Email automation", "Trade fair booth",
    "Menu & signage design", "Website translation (FR/DE)",
    "Backup & recovery plan", "GDPR review", "UX research",
    "Dashboard: sales KPIs", "Phase 2: payments",
]
EVENTS = ["the Web Summit", "re:publica", "a meetup", "the trade fair",
          "their open day", "a webinar", "the conference", "a workshop"]
RESTAURANTS = ["Café Central", "the Italian place", "Borchardt",
               "Le Petit Zinc", "the canteen", "Nobu", "Curry 36"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]

LOG_TEXTS = {
    "call": [
        "Called {first}: wants a quote by {weekday}.",
        "Left a voicemail.", "No answer, will try again.",
        "Discussed {project}; follow up next week.",
        "Call about invoice #{num}.", "Quick call, all good.",
        "{first} asked about pricing for {project}.",
        "Called back re: {project} timeline",
        "Intro call with {first} — promising.",
        "Budget confirmed: {value} {cur}.",
        "yes", "Spoke to reception; {first} is on holiday until {month}.",
        "Negotiated 10% discount on {project}.",
        "Complaint about response times; escalated to {teammate}.",
    ],
    "email": [
        "Sent proposal for {project}.", "Sent invoice {year}-{num}.",
        "Replied re: pricing", "Newsletter bounced (mailbox full).",
        "Sent case studies and references.",
        "Forwarded contract draft v2 for review.",
        "{first} confirmed the kick-off date.",
        "Asked for feedback on the mock-ups.",
        "Sent meeting notes and next steps.",
        "\"Thanks, we'll get back to you\"",
        "Reminder: payment overdue (#{num}).",
        "Out-of-office reply until {month}.",
    ],
    "meeting": [
        "Kick-off meeting for {project} at their office.",
        "Workshop: requirements for {project}.",
        "Lunch with {first} at {restaurant}.",
        "Quarterly review with {first} and team.",
        "Demo of the new {project}; very positive.",
        "Met at {event}.", "On-site visit in {city}.",
        "Agenda:\n- scope\n- budget\n- timeline",
        "Workshop with {first}.\nNext: send the estimate by {weekday}.",
    ],
    "note": [
        "Budget freeze until {month}.", "Prefers phone over email.",
        "Decision maker is the CFO.", "New contact: {first} {last}.",
        "Moved to {city}.", "Renewal due in {month}.",
        "Asked not to be called before 10:00.",
        "Competitor offered {value} {cur} — we need to be sharper.",
        "2026-12-15", "# of seats: 25", "Key account!",
        "@{first} handles billing now.",
    ],
}
LOG_TYPES = [("call", 35), ("email", 35), ("meeting", 15), ("note", 15)]
NOTES = [
    "Met at {event}.", "Prefers email over phone.",
    "Budget approved for Q{q}.", "Decision maker: {first} {last} (CFO).",
    "Invoice address differs from the office address.",
    "Referred by {first} {last}.", "Do not call before 10:00.",
    "Needs an NDA before any call — legal is strict.",
    "Ticket #{num} still open.", "Long-standing customer since {year0}.",
    "Speaks {lang}.", "Pays late; ask for a deposit.",
    "VAT exempt: see contract.", "Interested in {project} next year.",
]
LANGS = ["German", "French", "Spanish", "English", "Italian", "Dutch",
         "Polish", "Turkish", "Portuguese"]
FOLLOWUP_TEXTS = [
    "Send proposal", "Call back about {project}", "Check invoice {num} paid",
    "Ask for a referral", "Renewal reminder", "Send contract",
    "Follow up on the quote", "Book a demo", "Send the estimate",
    "Check in after launch", "Ask for feedback", "Schedule quarterly review",
    "Chase signature on {project}", "Send birthday card",
    "Prepare workshop: {project}",
]
STAGES = ["lead", "qualified", "proposal", "negotiation", "won", "lost"]


def wchoice(rng, items):
    """items: [(value, weight)]"""
    total = sum(w for _, w in items)
    x = rng.random() * total
    for v, w in items:
        x -= w
        if x < 0:
            return v
    return items[-1][0]


def wcount(rng, weights):
    return wchoice(rng, list(enumerate(weights)))


# --------------------------------------------------------------------------
# the model


class Cust:
    __slots__ = ("idx", "id", "path", "name", "kind", "company", "emails",
                 "phones", "tags", "owner", "created", "notes", "custom",
                 "log", "deals", "fus", "hdr", "culture", "first", "last",
                 "city", "t_created", "domain", "uid", "last_hash")

    def __init__(self):
        self.kind = None
        self.company = None
        self.notes = None
        self.custom = []
        self.log = []     # rendered entries
        self.deals = []   # [deal dict (ordered), rendered]
        self.fus = []
        self.hdr = None
        self.last_hash = None


class Deal:
    __slots__ = ("fields", "id", "title", "value", "currency", "stage")

    def __init__(self):
        self.fields = []  # [(key, rendered)]

    def set(self, k, v):
        for i, (kk, _) in enumerate(self.fields):
            if kk == k:
                self.fields[i] = (k, v)
                return
        self.fields.append((k, v))


def render_entry(fields):
    out = []
    first = True
    for k, v in fields:
        out.append("- " if first else "  ")
        out.append(k)
        out.append(": ")
        out.append(v)
        out.append("\n")
        first = False
    return "".join(out)


def render_header(c):
    h = ["id: ", S(c.id), "\nname: ", S(c.name), "\n"]
    if c.kind:
        h += ["kind: ", S(c.kind), "\n"]
    if c.company:
        h += ["company: ", S(c.company), "\n"]
    if c.emails:
        h += ["emails: [", ", ".join(F(e) for e in c.emails), "]\n"]
    if c.phones:
        h += ["phones: [", ", ".join(F(p) for p in c.phones), "]\n"]
    if c.tags:
        h += ["tags: [", ", ".join(F(t) for t in c.tags), "]\n"]
    h += ["owner: ", S(c.owner), "\ncreated: ", c.created, "\n"]
    if c.notes is not None:
        h += ["notes: ", S(c.notes), "\n"]
    for k, v in c.custom:
        h += [k, ": ", S(v), "\n"]
    return "".join(h)


def render(c):
    if c.hdr is None:
        c.hdr = render_header(c)
    parts = [c.hdr]
    if c.log:
        parts.append("log:\n")
        parts.extend(c.log)
    if c.deals:
        parts.append("deals:\n")
        parts.extend(d[1] for d in c.deals)
    if c.fus:
        parts.append("followups:\n")
        parts.extend(f[1] for f in c.fus)
    return "".join(parts)


# An event: (t, seq, cust_idx, by, kind, data, msg).  kind is one of
# add, log, deal_add, deal_set, fu_add, fu_done, set.

class Model:
    def __init__(self, n, seed, history_days, now):
        self.n = n
        self.seed = seed
        self.now = now
        self.h0 = now - history_days * DAY
        self.today = local_date(now)
        self.rng = random.Random("crm-bench:%d:%d" % (seed, n))
        self.custs = []
        self.events = []
        self.seq = 0
        self.regressed = False
        self.cultures = [(k, v[0]) for k, v in CULTURES.items()]
        self.pools = {k: (v[1].split(), [x.replace("_", " ") for x in
                                         v[2].split()], v[3], v[4], v[5],
                          [x.replace("_", " ") for x in v[6].split()])
                      for k, v in CULTURES.items()}
        self.team = [(u, w) for u, _, w in TEAM]   # the account owners
        self.staff = make_staff(n)                   # everyone who logs
        self.p_owner = 0.8 * min(1.0, 10000 / max(n, 1))
        self.companies = {}
        self.tagged = set()
        self.emails_taken = set()
        self.phones_taken = set()

    # moments --------------------------------------------------------------
    def business_moment(self, a, b):
        """A plausible working moment in [a, b] (epochs), Berlin time."""
        rng = self.rng
        if b <= a:
            return a
        for _ in range(8):
            t = rng.uniform(a, b)
            d = local_date(int(t))
            wd = d.weekday()
            if wd == 5 and rng.random() > 0.08:
                continue
            if wd == 6 and rng.random() > 0.04:
                continue
            secs = int(rng.triangular(7.5 * 3600, 19.5 * 3600, 11 * 3600))
            secs += rng.randrange(60)
            m = local_epoch(d, secs)
            if a <= m <= b:
                return m
        return int(rng.uniform(a, b))

    def ev(self, t, c, by, kind, data, msg):
        self.seq += 1
        self.events.append((int(t), self.seq, c.idx, by, kind, data, msg))

    def pick_team(self, owner):
        rng = self.rng
        if rng.random() < self.p_owner:
            return owner
        return rng.choice(self.staff)

    # words ----------------------------------------------------------------
    def fill(self, tmpl, c):
        rng = self.rng
        if "{" not in tmpl:
            return tmpl
        first, last = self.pools[c.culture][0], self.pools[c.culture][1]
        return tmpl.format(
            first=c.first or rng.choice(first),
            last=rng.choice(last), weekday=rng.choice(WEEKDAYS),
            project=rng.choice(PROJECTS), num=rng.randrange(1000, 9999),
            value="%d" % (rng.randrange(2, 200) * 500),
            cur=rng.choice(["EUR", "EUR", "USD"]),
            month=rng.choice(MONTHS), teammate=rng.choice(TEAM)[1],
            year=self.today.year - rng.randrange(2),
            restaurant=rng.choice(RESTAURANTS), event=rng.choice(EVENTS),
            city=c.city or rng.choice(self.pools[c.culture][5]),
            q=rng.randrange(1, 5), year0=self.today.year - rng.randrange(2, 9),
            lang=rng.choice(LANGS))

    def company_for(self, culture, new=False):
        """A company: people share them (a new one for ~1 in 5 people);
        new=True for a customer that is itself a company."""
        rng = self.rng
        pool = self.companies.setdefault(culture, [])
        if pool and not new and rng.random() < 0.8:
            return rng.choice(pool)
        style = rng.random()
        local = COMPANY_LOCAL.get(culture)
        if local and style < 0.3:
            base = "%s %s" % (rng.choice(local),
                              rng.choice(self.pools[culture][1]))
        elif style < 0.45:
            base = "%s %s" % (rng.choice(self.pools[culture][1]),
                              rng.choice(COMPANY_WORDS_B))
        else:
            base = "%s %s" % (rng.choice(COMPANY_WORDS_A),
                              rng.choice(COMPANY_WORDS_B))
        suffix = rng.choice(COMPANY_SUFFIX[culture])
        name = (base + " " + suffix).strip() if suffix else base
        dom = crm_slug(base).replace("-", "")[:20] or "company%d" % len(pool)
        domain = "%s.%s" % (dom, rng.choice(self.pools[culture][4]))
        pool.append((name, domain))
        return pool[-1]

    def phone(self, culture):
        rng = self.rng
        r = rng.randrange
        return {
            "uk": lambda: rng.choice([
                "+44 20 7946 %04d" % r(10000), "+44 7700 900%03d" % r(1000),
                "+1 415 555 %04d" % r(10000), "(212) 555-%04d" % r(10000),
                "020 7946 %04d" % r(10000)]),
            "de": lambda: rng.choice([
                "+49 30 %07d" % r(10**7), "+49 171 %07d" % r(10**7),
                "030 %08d" % r(10**8), "+49 89 %06d-%02d" % (r(10**6), r(100)),
                "+43 1 %07d" % r(10**7)]),
            "fr": lambda: "+33 %d %02d %02d %02d %02d" % (
                r(1, 8), r(100), r(100), r(100), r(100)),
            "es": lambda: "+34 9%02d %03d %03d" % (r(100), r(1000), r(1000)),
            "it": lambda: "+39 0%d %07d" % (r(2, 9), r(10**7)),
            "nl": lambda: "+31 20 %03d %04d" % (r(1000), r(10000)),
            "se": lambda: "+46 8 %03d %02d %02d" % (r(1000), r(100), r(100)),
            "pl": lambda: "+48 22 %03d %02d %02d" % (r(1000), r(100), r(100)),
            "tr": lambda: "+90 212 %03d %02d %02d" % (r(1000), r(100), r(100)),
            "pt": lambda: "+351 21 %03d %04d" % (r(1000), r(10000)),
            "intl": lambda: "+%d %d %04d %04d" % (
                rng.choice([81, 86, 91, 234, 971, 65]), r(10, 99), r(10000),
                r(10000)),
        }[culture]()

    # one customer -------------------------------------------------------
    def make_customer(self, i):
        rng = self.rng
        c = Cust()
        c.idx = i
        culture = wchoice(rng, self.cultures)
        c.culture = culture
        firsts, lasts, pstyle, freemail, _tlds, cities = self.pools[culture]
        c.city = rng.choice(cities) if rng.random() < 0.4 else None
        is_company = rng.random() < 0.15
        comp = None
        if is_company:
            comp = self.company_for(culture, new=True)
            c.name = comp[0]
            c.kind = "company"
            c.first = c.last = None
        else:
            first = rng.choice(firsts)
            script = unicodedata.name(first[0], "LATIN").split()[0]
            if script in ("CJK", "HANGUL"):
                last = ""       # a whole name, family name first
            else:
                same = [x for x in lasts if x != "_" and
                        unicodedata.name(x[0], "LATIN").split()[0] == script]
                last = rng.choice(same) if same else ""
            if culture == "es" and rng.random() < 0.5:
                last = "%s %s" % (last, rng.choice(lasts))
            c.first, c.last = first, last
            if rng.random() < 0.12 and culture in ("en", "de", "nl"):
                first = "%s %s." % (first, chr(rng.randrange(65, 91)))
            title = ""
            if rng.random() < 0.015:
                title = rng.choice(["Dr. ", "Prof. ", "Dr "])
            if script in ("CJK", "HANGUL"):
                c.name = first
            else:
                c.name = ("%s%s %s" % (title, first, last)).strip()
            if rng.random() < 0.7:
                comp = self.company_for(culture)
                c.company = comp[0]
        c.name = unicodedata.normalize("NFC", c.name)
        c.owner = wchoice(rng, self.team)

        # emails
        ne = wcount(rng, [8, 62, 23, 7])
        emails = []
        localpart = crm_slug("%s %s" % (c.first or "", c.last or "")
                             ).replace("-", ".")
        if localpart.startswith("c.") or c.first is None:
            localpart = "contact%d" % i
        for k in range(ne):
            if is_company:
                lp = ["info", "hello", "office", "sales", "billing",
                      "contact"][(k + rng.randrange(6)) % 6]
                e = "%s@%s" % (lp, comp[1])
            elif k == 0 and comp:
                e = "%s@%s" % (localpart, comp[1])
            else:
                e = "%s%s@%s" % (localpart, rng.choice(["", "", "",
                                 str(rng.randrange(1, 99))]),
                                 rng.choice(freemail))
            # an address belongs to one customer: a namesake gets another
            local, _, domain = e.partition("@")
            n = 1
            while e in self.emails_taken:
                n += 1
                e = "%s%d@%s" % (local, n, domain)
            self.emails_taken.add(e)
            emails.append(e)
        c.emails = emails
        c.phones = []
        for k in range(wcount(rng, [35, 50, 15])):
            # a number belongs to one customer (crm import matches on it)
            for _ in range(20):
                p = self.phone(pstyle)
                digits = re.sub(r"\D", "", p).lstrip("0")
                if digits[-9:] not in self.phones_taken:
                    self.phones_taken.add(digits[-9:])
                    c.phones.append(p)
                    break
        tags = []
        for k in range(wcount(rng, [20, 35, 25, 13, 7])):
            t = wchoice(rng, TAGS)
            if t not in tags:
                tags.append(t)
        if rng.random() < 0.01:
            tags.insert(rng.randrange(len(tags) + 1), "vip")
        c.tags = tags

        # when
        span_pre = 4 * 365 * DAY
        if rng.random() < 0.75:
            t_created = self.business_moment(self.h0 - span_pre, self.h0 - 1)
        else:
            t_created = self.business_moment(self.h0, self.now - DAY)
        c.t_created = t_created
        c.created = local_moment(t_created)

        # custom fields, given with --set at add (order kept)
        custom = []
        if rng.random() < 0.25:
            lines = [self.fill(rng.choice(NOTES), c)
                     for _ in range(wcount(rng, [0, 55, 30, 15]))]
            notes = "\n".join(lines) + ("\n" if rng.random() < 0.5 else "")
            custom.append(("notes", notes))
        if rng.random() < 0.6:
            custom.append(("source", rng.choice(SOURCES)))
        if c.city:
            custom.append(("city", c.city))
        if rng.random() < 0.3:
            custom.append(("industry", rng.choice(INDUSTRIES)))
        if is_company:
            if rng.random() < 0.5:
                custom.append(("website", "https://www." + comp[1]))
            if rng.random() < 0.4:
                custom.append(("vat_id", "%s%09d" % (
                    rng.choice(["DE", "FR", "ES", "NL", "IT", "GB"]),
                    rng.randrange(10**9))))
            if rng.random() < 0.3:
                custom.append(("employees", str(rng.choice(
                    [5, 8, 12, 20, 35, 50, 80, 120, 250, 500, 1200]))))
        else:
            if rng.random() < 0.1:
                custom.append(("linkedin", "https://www.linkedin.com/in/%s"
                               % crm_slug(c.name)))
            if rng.random() < 0.03:
                custom.append(("birthday", "%04d-%02d-%02d" % (
                    rng.randrange(1950, 2000), rng.randrange(1, 13),
                    rng.randrange(1, 29))))
        if rng.random() < 0.05:
            custom.append(("cadence", rng.choice(["30d", "30d", "2w", "3m"])))
        by = self.pick_team(c.owner)
        self.ev(t_created, c, by, "add",
                {"owner": c.owner, "tags": list(tags), "custom": custom}, None)

        self.make_activity(c, [k for k, _ in custom])
        return c

    def make_activity(self, c, add_keys):
        rng = self.rng
        now = self.now
        start = max(c.t_created + 600, now - 365 * DAY)
        # log
        for t in sorted(self.business_moment(start, now - 60)
                        for _ in range(wcount(rng, [18, 16, 14, 12, 10, 8, 6,
                                                    5, 4, 3, 2, 1, 1]))):
            typ = wchoice(rng, LOG_TYPES)
            text = self.fill(rng.choice(LOG_TEXTS[typ]), c)
            off = berlin_offset(t)
            if c.culture == "en" and rng.random() < 0.3:
                off = -300 + (60 if off == 120 else 0)   # New York
            self.ev(t, c, self.pick_team(c.owner), "log",
                    (fmt_moment(t, off), typ, text), None)
        # deals
        titles = rng.sample(PROJECTS, wcount(rng, [50, 30, 13, 7]))
        for title in titles:
            if rng.random() < 0.3:
                title = "%s %d" % (title, self.today.year -
                                   (0 if rng.random() < 0.7 else 1))
            t = self.business_moment(max(c.t_created + 600,
                                         now - 420 * DAY), now - 3600)
            mag = 10 ** rng.uniform(2.7, 5.2)
            step = 50 if mag < 5000 else 100 if mag < 50000 else 500
            value = int(mag / step) * step
            cents = 0
            if rng.random() < 0.15:
                value = int(mag)
                cents = rng.choice([0, 50, 99, 90, 25])
            value = "%d.%02d" % (max(value, 100), cents)
            cur = wchoice(rng, [("EUR", 80), ("USD", 15), ("GBP", 5)])
            stage = wchoice(rng, [("lead", 60), ("qualified", 25),
                                  ("proposal", 15)])
            d0 = local_date(t)
            close = (d0 + dt.timedelta(days=rng.randrange(14, 120))).isoformat() \
                if rng.random() < 0.7 else None
            prob = rng.choice(["20", "30", "40", "60", "70", "80", "90"]) \
                if rng.random() < 0.08 else None
            by = self.pick_team(c.owner)
            self.ev(t, c, by, "deal_add",
                    (title, value, cur, stage, close, prob), None)
            self.move_deal(c, title, stage, t, by)
        # follow-ups
        fus = []
        for k in range(wcount(rng, [20, 30, 30, 20])):
            age = min(rng.expovariate(1 / (35 * DAY)), 360 * DAY)
            t = self.business_moment(max(c.t_created + 600, now - age - DAY),
                                     max(c.t_created + 600, now - age))
            fus.append(min(t, now - 60))
        for k, t in enumerate(sorted(fus)):   # ids in the order they came
            due = local_date(t) + dt.timedelta(days=rng.randrange(1, 76))
            text = self.fill(rng.choice(FOLLOWUP_TEXTS), c)
            by = self.pick_team(c.owner)
            self.ev(t, c, by, "fu_add", (k + 1, due.isoformat(), text), None)
            done_p = 0.8 if due < self.today else 0.04
            if rng.random() < done_p:
                end = min(local_epoch(due, 18 * 3600) + 7 * DAY, now - 60)
                td = self.business_moment(t + 60, end)
                self.ev(max(td, t + 1), c, by, "fu_done", k + 1, None)
        # later edits
        if rng.random() < 0.04 and "notes" not in add_keys:
            t = self.business_moment(max(c.t_created + 600, now - 365 * DAY),
                                     now - 60)
            self.ev(t, c, self.pick_team(c.owner), "set",
                    [("notes", self.fill(rng.choice(NOTES), c))], None)
        if rng.random() < 0.02 and "cadence" not in add_keys:
            t = self.business_moment(max(c.t_created + 600, now - 365 * DAY),
                                     now - 60)
            self.ev(t, c, c.owner, "set", [("cadence", "30d")], None)
        if rng.random() < 0.01:
            t = self.business_moment(max(c.t_created + 600, now - 365 * DAY),
                                     now - 60)
            new = wchoice(rng, [(u, w) for u, w in self.team if u != c.owner])
            self.ev(t, c, "alice", "set", [("owner", new)], None)

    def move_deal(self, c, title, stage, t, by):
        rng = self.rng
        order = STAGES
        while True:
            t = self.business_moment(t + 2 * DAY, t + 40 * DAY)
            if t >= self.now - 60:
                return
            i = order.index(stage)
            r = rng.random()
            if stage == "negotiation" and (not self.regressed or r < 0.05):
                new = "proposal"
                self.regressed = True
            elif stage == "proposal" and r < 0.02:
                new = "qualified"
            elif r < {"lead": 0.25, "qualified": 0.2, "proposal": 0.2,
                      "negotiation": 0.25}[stage]:
                new = "lost"
            elif r < {"lead": 0.85, "qualified": 0.85, "proposal": 0.75,
                      "negotiation": 0.9}[stage]:
                new = order[i + 1] if stage != "proposal" or r < 0.6 \
                    else "won"
            else:
                return   # stays open at this stage
            self.ev(t, c, by, "deal_set", (title, new), None)
            if new == "won":
                if "customer" not in c.tags and c.idx not in self.tagged \
                        and rng.random() < 0.4:
                    self.tagged.add(c.idx)
                    self.ev(t + 120, c, by, "set_tag", "customer", None)
                return
            if new == "lost":
                return
            stage = new

    def build(self):
        custs = [self.make_customer(i) for i in range(self.n)]
        # ids in creation order, as crm add picks them (slug, slug-2, ...)
        taken = set()
        for c in sorted(custs, key=lambda c: (c.t_created, c.idx)):
            base = crm_slug(c.name)
            cid, k = base, 1
            while cid in taken:
                k += 1
                cid = "%s-%d" % (base, k)
            taken.add(cid)
            c.id = cid
            c.path = record_path(cid)
        self.custs = custs
        self.events.sort(key=lambda e: (e[0], e[1]))
        return self


# --------------------------------------------------------------------------
# applying events: the record after each crm command, and its commit message


class Applier:
    def __init__(self, model):
        self.m = model
        self.deal_ids = {}   # (idx, title) -> Deal

    def apply(self, e):
        t, _seq, idx, by, kind, data, _ = e
        c = self.m.custs[idx]
        today = local_date(t).isoformat()
        if kind == "add":
            c.owner = data["owner"]
            c.tags = list(data["tags"])
            c.notes, c.custom = None, []
            for k, v in data["custom"]:
                if k == "notes":
                    c.notes = v
                else:
                    c.custom.append((k, v))
            c.hdr = None
            return "crm: add %s" % c.id
        if kind == "log":
            at, typ, text = data
            c.log.append(render_entry([("at", at), ("type", SE(typ)),
                                       ("by", SE(by)), ("text", SE(text))]))
            return "crm: log %s" % c.id
        if kind == "deal_add":
            title, value, cur, stage, close, prob = data
            d = Deal()
            taken = {x[0].id for x in c.deals}
            base = crm_slug(title)
            if base.isdigit():
                base = "deal-" + base
            did, k = base, 1
            while did in taken:
                k += 1
                did = "%s-%d" % (base, k)
            d.id = did
            d.title = title
            d.set("id", SE(did))
            d.set("title", SE(title))
            d.set("stage", SE(stage))
            d.set("value", SE(value))
            d.set("currency", SE(cur))
            d.set("created", today)
            if stage != "lead":        # --stage moved it from the first
                d.set("stage_since", today)
            if close:
                d.set("close", close)
            if prob:
                d.set("probability", prob)
            c.deals.append([d, render_entry(d.fields)])
            self.deal_ids[(idx, title)] = len(c.deals) - 1
            return "crm: deal add %s/%s" % (c.id, did)
        if kind == "deal_set":
            title, stage = data
            slot = c.deals[self.deal_ids[(idx, title)]]
            d = slot[0]
            d.set("stage", SE(stage))
            d.set("stage_since", today)
            if stage in ("won", "lost"):
                d.set("closed", today)
            else:
                d.fields = [f for f in d.fields if f[0] != "closed"]
            slot[1] = render_entry(d.fields)
            return "crm: deal set %s/%s stage=%s" % (c.id, d.id, stage)
        if kind == "fu_add":
            n, due, text = data
            f = [("id", str(n)), ("due", due), ("text", SE(text)),
                 ("done", "false"), ("created", today)]
            c.fus.append([f, render_entry(f), text])
            return "crm: followup add %s/%d" % (c.id, n)
        if kind == "fu_done":
            slot = c.fus[data - 1]
            f = [(k, "true" if k == "done" else v) for k, v in slot[0]]
            f.append(("completed", today))
            slot[0] = f
            slot[1] = render_entry(f)
            return "crm: followup done %s/%d" % (c.id, data)
        if kind == "set":
            for k, v in data:
                if k == "notes":
                    c.notes = v
                elif k == "owner":
                    c.owner = v
                else:
                    for i, (kk, _) in enumerate(c.custom):
                        if kk == k:
                            c.custom[i] = (k, v)
                            break
                    else:
                        c.custom.append((k, v))
            c.hdr = None
            return "crm: set %s %s" % (c.id, ", ".join(k for k, _ in data))
        if kind == "set_tag":
            if data not in c.tags:
                c.tags.append(data)
            c.hdr = None
            return "crm: set %s tags" % c.id
        raise ValueError(kind)


# --------------------------------------------------------------------------
# building the store


def env_for(user, t, base=None):
    env = dict(base or os.environ)
    name = TEAM_NAME.get(user, user)
    env.update({
        "GIT_AUTHOR_NAME": name, "GIT_COMMITTER_NAME": name,
        "GIT_AUTHOR_EMAIL": "%s@%s" % (user, TEAM_DOMAIN),
        "GIT_COMMITTER_EMAIL": "%s@%s" % (user, TEAM_DOMAIN),
        "CRM_USER": user, "CRM_NOW": local_moment(t), "TZ": TZ_BERLIN,
    })
    env.pop("GIT_AUTHOR_DATE", None)
    env.pop("GIT_COMMITTER_DATE", None)
    return env


def hermetic_env(home):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "CRM_", "XDG_"))}
    env.update({"HOME": home, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C.UTF-8",
                "TZ": TZ_BERLIN, "EDITOR": "true", "VISUAL": "true",
                "NO_COLOR": "1"})
    return env


def build_store(model, out, crm, env0, log):
    t_start = time.time()
    if os.path.exists(out):
        shutil.rmtree(out)
    first = min(c.t_created for c in model.custs) - 30 * DAY
    first = min(first, model.h0 - DAY)
    subprocess.run([crm, "init", out], env=env_for("alice", first, env0),
                   check=True, stdout=subprocess.DEVNULL)
    head = subprocess.run(["git", "-C", out, "symbolic-ref", "HEAD"],
                          env=env0, check=True, capture_output=True,
                          text=True).stdout.strip()
    fi = subprocess.Popen(["git", "-C", out, "fast-import", "--quiet",
                           "--done"], stdin=subprocess.PIPE, env=env0,
                          bufsize=1 << 20)
    w = fi.stdin.write
    ap = Applier(model)
    events = model.events
    h0 = model.h0
    # everything before the window: one commit of the store as of h0
    k = bisect.bisect_left([e[0] for e in events], h0)
    for e in events[:k]:
        ap.apply(e)
    pre = {}
    for e in events[:k]:
        pre[e[2]] = True
    tz0 = git_tz(berlin_offset(h0))
    msg = ("bench: the store as of %s (%d customers), generated by "
           "bench/gen.py\n" % (local_date(h0).isoformat(), len(pre))).encode()
    w(b"commit %s\nauthor %s <%s@%s> %d %s\ncommitter %s <%s@%s> %d %s\n"
      b"data %d\n%s\nfrom %s^0\n" % (
          head.encode(), b"Alice Martin", b"alice", TEAM_DOMAIN.encode(), h0,
          tz0.encode(), b"Alice Martin", b"alice", TEAM_DOMAIN.encode(), h0,
          tz0.encode(), len(msg), msg, head.encode()))
    for idx in sorted(pre, key=lambda i: model.custs[i].path):
        c = model.custs[idx]
        data = render(c).encode()
        c.last_hash = hash(data)
        w(b"M 100644 inline %s\ndata %d\n%s\n" % (c.path.encode(), len(data),
                                                   data))
    log("  %d customers before the window, %d events in it" %
        (len(pre), len(events) - k))
    headb = head.encode()
    idents = {u: ("%s <%s@%s>" % (n, u, TEAM_DOMAIN)).encode()
              for u, n in TEAM_NAME.items()}
    ncommits = 2        # crm init, and the store as of h0
    for e in events[k:]:
        msg = ap.apply(e).encode()
        c = model.custs[e[2]]
        data = render(c).encode()
        h = hash(data)
        if h == c.last_hash:     # crm would say "nothing changed"
            raise SystemExit("gen.py bug: '%s' does not change %s" % (
                msg.decode(), c.path))
        c.last_hash = h
        tz = git_tz(berlin_offset(e[0])).encode()
        ident = idents[e[3]]
        w(b"commit %s\nauthor %s %d %s\ncommitter %s %d %s\ndata %d\n%s\n"
          b"M 100644 inline %s\ndata %d\n%s\n" % (
              headb, ident, e[0], tz, ident, e[0], tz, len(msg), msg,
              c.path.encode(), len(data), data))
        ncommits += 1
    w(b"done\n")
    fi.stdin.close()
    if fi.wait():
        raise SystemExit("git fast-import failed")
    t_import = time.time()
    log("  history: %d commits (git fast-import) in %.1f s" % (
        ncommits, t_import - t_start))
    subprocess.run(["git", "-C", out, "reset", "-q", "--hard"], env=env0,
                   check=True)
    t_co = time.time()
    log("  checkout of the working tree and index: %.1f s" % (t_co - t_import))
    return ncommits


# --------------------------------------------------------------------------
# vCards, taskwarrior, CSV


def vc_escape(s):
    return (s.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,")
            .replace(";", "\\;"))


def vc_fold(line):
    b = line.encode()
    if len(b) <= 75:
        return line + "\r\n"
    out, cur, first = [], b"", True
    for ch in line:
        cb = ch.encode()
        limit = 75 if first else 74
        if len(cur) + len(cb) > limit:
            out.append(("" if first else " ") + cur.decode())
            cur, first = b"", False
        cur += cb
    out.append(("" if first else " ") + cur.decode())
    return "\r\n".join(out) + "\r\n"


def write_vcards(model, d):
    os.makedirs(d, exist_ok=True)
    for c in model.custs:
        lines = ["BEGIN:VCARD", "VERSION:4.0",
                 "UID:urn:uuid:%s" % uuid.uuid5(uuid.NAMESPACE_URL,
                                                "crm-bench:" + c.id),
                 "FN:" + vc_escape(c.name)]
        if c.kind == "company":
            lines.append("KIND:org")
            lines.append("ORG:" + vc_escape(c.name))
        else:
            lines.append("N:%s;%s;;;" % (vc_escape(c.last or ""),
                                         vc_escape(c.first or "")))
            if c.company:
                lines.append("ORG:" + vc_escape(c.company))
        for i, e in enumerate(c.emails):
            lines.append("EMAIL;TYPE=%s:%s" % ("work" if i == 0 else "home", e))
        for i, p in enumerate(c.phones):
            lines.append("TEL;VALUE=uri;TYPE=%s:tel:%s" % (
                "work" if i == 0 else "cell", p.replace(" ", "-")))
        if c.tags:
            lines.append("CATEGORIES:" + ",".join(vc_escape(t) for t in c.tags))
        if c.notes:
            lines.append("NOTE:" + vc_escape(c.notes.rstrip("\n")))
        lines.append("REV:" + tw_stamp(c.t_created))
        lines.append("END:VCARD")
        with open(os.path.join(d, c.id + ".vcf"), "w", encoding="utf-8",
                  newline="") as f:
            f.write("".join(vc_fold(x) for x in lines))


def tw_stamp(t):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t))


def write_tasks(model, path):
    """Open follow-ups as taskwarrior JSON (one object per line)."""
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for c in model.custs:
            for fu, _, text in c.fus:
                d = dict(fu)
                if d["done"] != "false":
                    continue
                due = dt.date.fromisoformat(d["due"])
                created = dt.date.fromisoformat(d["created"])
                obj = {
                    "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, "crm-bench:%s/%s"
                                           % (c.id, d["id"]))),
                    "status": "pending",
                    "description": "%s: %s" % (c.name, text),
                    "entry": tw_stamp(local_epoch(created, 9 * 3600)),
                    "due": tw_stamp(local_epoch(due, 0)),
                    "project": "crm",
                    "tags": [c.owner],
                }
                f.write(json.dumps(obj, ensure_ascii=False) + "\n")
                n += 1
    return n


def write_csv(model, path):
    import csv
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["name", "email", "phone", "company", "tags", "owner",
                    "city", "source", "notes"])
        for c in model.custs:
            cust = dict(c.custom)
            w.writerow([c.name, c.emails[0] if c.emails else "",
                        c.phones[0] if c.phones else "", c.company or "",
                        ";".join(c.tags), c.owner, cust.get("city", ""),
                        cust.get("source", ""), (c.notes or "").rstrip("\n")])


# --------------------------------------------------------------------------
# --check


def replay_commands(model, c, events):
    """The crm commands, in order, that give customer c."""
    cmds = []
    for e in events:
        t, _s, idx, by, kind, data, _ = e
        if kind == "add":
            a = ["add", c.name]
            if c.kind:
                a += ["--kind", c.kind]
            if c.company:
                a += ["--company", c.company]
            for x in c.emails:
                a += ["--email", x]
            for x in c.phones:
                a += ["--phone", x]
            for x in data["tags"]:
                a += ["--tag", x]
            a += ["--owner", data["owner"]]
            for k, v in data["custom"]:
                a += ["--set", "%s=%s" % (k, v)]
        elif kind == "log":
            a = ["log", c.id, data[2], "--type", data[1], "--at", data[0]]
        elif kind == "deal_add":
            title, value, cur, stage, close, prob = data
            a = ["deal", "add", c.id, title, "--value", value]
            if cur != "EUR":
                a += ["--currency", cur]
            if stage != "lead":
                a += ["--stage", stage]
            if close:
                a += ["--close", close]
            if prob:
                a += ["--probability", prob]
        elif kind == "deal_set":
            a = ["deal", "set", "%s/%s" % (c.id, deal_id_for(c, data[0])),
                 "--stage", data[1]]
        elif kind == "fu_add":
            a = ["followup", "add", c.id, data[2], "--due", data[1]]
        elif kind == "fu_done":
            a = ["followup", "done", "%s/%d" % (c.id, data)]
        elif kind == "set":
            a = ["set", c.id] + ["%s=%s" % kv for kv in data]
        elif kind == "set_tag":
            a = ["set", c.id, "tags+=%s" % data]
        cmds.append((t, by, a))
    return cmds


def deal_id_for(c, title):
    for d, _ in c.deals:
        if d.title == title:
            return d.id
    raise KeyError(title)


def run_check(model, out, crm, env0, samples=50, log=print):
    rng = random.Random("check:%d:%d" % (model.seed, model.n))
    picked = rng.sample(range(model.n), min(samples, model.n))
    failures = []
    tmp = tempfile.mkdtemp(prefix="crm-bench-check-")
    try:
        clone = os.path.join(tmp, "store")
        subprocess.run(["git", "clone", "-q", out, clone], env=env0,
                       check=True)
        env = dict(env0)
        env.update({"CRM_DIR": clone, "CRM_USER": "alice",
                    "GIT_AUTHOR_NAME": "Check", "GIT_AUTHOR_EMAIL": "c@x",
                    "GIT_COMMITTER_NAME": "Check",
                    "GIT_COMMITTER_EMAIL": "c@x"})
        # 1. every sampled file equals the model, reads, and round-trips
        for idx in picked:
            c = model.custs[idx]
            want = render(c).encode()
            p = os.path.join(clone, c.path)
            with open(p, "rb") as f:
                got = f.read()
            if got != want:
                failures.append("%s: file differs from the model" % c.path)
                continue
            r = subprocess.run([crm, "show", c.id, "--json"], env=env,
                               capture_output=True)
            if r.returncode:
                failures.append("crm show %s --json: exit %d: %s" % (
                    c.id, r.returncode, r.stderr.decode()[:200]))
            else:
                js = json.loads(r.stdout)
                if isinstance(js, list):
                    js = js[0]
                if js.get("name") != c.name or js.get("id") != c.id:
                    failures.append("crm show %s --json: wrong record" % c.id)
            for kv in ("x=1", "x="):
                r = subprocess.run([crm, "set", c.id, kv], env=env,
                                   capture_output=True)
                if r.returncode:
                    failures.append("crm set %s %s: exit %d: %s" % (
                        c.id, kv, r.returncode, r.stderr.decode()[:200]))
            with open(p, "rb") as f:
                if f.read() != want:
                    failures.append("crm set %s x=1; x= changed the file"
                                    % c.id)
        log("  check: %d records equal the model, read with crm show "
            "--json and survive set x=1 / x=" % len(picked))

        # 2. replay each customer's commands with the real crm
        by_cust = {}
        for e in model.events:
            if e[2] in by_cust or e[2] in picked:
                by_cust.setdefault(e[2], []).append(e)
        hist = history_of(out, {model.custs[i].path for i in picked}, env0)
        n_cmds = 0
        for idx in picked:
            c = model.custs[idx]
            evs = by_cust[idx]
            store = os.path.join(tmp, "replay-%d" % idx)
            home = os.path.join(tmp, "home")
            os.makedirs(home, exist_ok=True)
            e0 = hermetic_env(home)
            subprocess.run([crm, "init", store], env=env_for("alice", evs[0][0]
                                                             - DAY, e0),
                           check=True, stdout=subprocess.DEVNULL)
            e0["CRM_DIR"] = store
            base = crm_slug(c.name)
            m = re.fullmatch(re.escape(base) + r"-(\d+)", c.id)
            for k in range(int(m.group(1)) - 1 if m else 0):
                subprocess.run([crm, "add", c.name], check=True,
                               env=env_for("alice", evs[0][0] - 3600, e0),
                               stdout=subprocess.DEVNULL)
            ok = True
            for t, by, a in replay_commands(model, c, evs):
                r = subprocess.run([crm] + a, env=env_for(by, t, e0),
                                   capture_output=True)
                n_cmds += 1
                if r.returncode:
                    failures.append("replay %s: crm %s: exit %d: %s" % (
                        c.id, " ".join(a), r.returncode,
                        r.stderr.decode()[:300]))
                    ok = False
                    break
            if not ok:
                continue
            with open(os.path.join(store, c.path), "rb") as f:
                got = f.read()
            if got != render(c).encode():
                failures.append("replay %s: crm wrote a different file:\n%s"
                                % (c.id, unified(render(c), got.decode())))
                continue
            r = subprocess.run(["git", "-C", store, "log", "--reverse",
                                "--format=%s%x01%an <%ae>%x01%ad",
                                "--date=iso-strict", "--", c.path],
                               env=e0, capture_output=True, text=True,
                               check=True)
            replayed = r.stdout.splitlines()
            nwin = sum(1 for e in evs if e[0] >= model.h0)
            window = replayed[len(replayed) - nwin:] if nwin else []
            gen = [x for x in hist.get(c.path, [])
                   if not x.startswith("bench: ")]
            if window != gen:
                failures.append("replay %s: history differs:\n  crm: %s\n"
                                "  gen: %s" % (c.id, window[:3], gen[:3]))
        log("  check: replayed %d crm commands for %d customers: same bytes,"
            " same commit messages, authors and dates" % (n_cmds,
                                                           len(picked)))

        # 3. the quoting fast path agrees with libyaml everywhere it is used
        n = 0
        for cache, fn in ((_block_cache, lambda s: emit_block_value(s, False)),
                          (_entry_cache, lambda s: emit_block_value(s, True)),
                          (_flow_cache, emit_flow_item)):
            keys = list(cache)
            for s in random.Random(1).sample(keys, min(20000, len(keys))):
                n += 1
                if cache[s] != fn(s):
                    failures.append("quoting of %r: %r, libyaml %r" % (
                        s, cache[s], fn(s)))
        log("  check: quoting of %d distinct values agrees with libyaml" % n)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return failures


def history_of(store, paths, env):
    """{path: ['subject\\x01author\\x01date', ...]} oldest first, one pass."""
    r = subprocess.Popen(["git", "-C", store, "log", "--reverse",
                          "--format=%x00%s%x01%an <%ae>%x01%ad",
                          "--date=iso-strict", "--name-only"], env=env,
                         stdout=subprocess.PIPE, text=True, bufsize=1 << 20)
    out = {}
    cur = None
    for line in r.stdout:
        line = line.rstrip("\n")
        if line.startswith("\0"):
            cur = line[1:]
        elif line in paths:
            out.setdefault(line, []).append(cur)
    r.wait()
    return out


def unified(a, b):
    import difflib
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                        "model", "crm"))


# --------------------------------------------------------------------------


def search_text(model):
    """A surname (ASCII) that a handful of customers share: about one in
    a thousand at this size, at least 3."""
    counts = {}
    for c in model.custs:
        for w in (c.last or "").split() if c.kind != "company" else ():
            if w.isascii() and w.isalpha() and len(w) > 3:
                counts[w] = counts.get(w, 0) + 1
    want = max(3, model.n // 1000)
    return min(sorted(counts), key=lambda w: (abs(counts[w] - want), w))


def du(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1],
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--customers", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--history-days", type=int, default=365)
    ap.add_argument("--now", default=DEFAULT_NOW,
                    help="the store's present (default %(default)s); run crm "
                         "with CRM_NOW set to it")
    ap.add_argument("--out", required=True)
    ap.add_argument("--crm", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "crm"))
    ap.add_argument("--vcards")
    ap.add_argument("--tasks")
    ap.add_argument("--csv")
    ap.add_argument("--meta", help="write facts about the store as JSON")
    ap.add_argument("--check", action="store_true",
                    help="verify 50 random records with crm (builds DIR "
                         "first unless it exists)")
    args = ap.parse_args()
    crm = os.path.abspath(args.crm)
    out = os.path.abspath(args.out)
    log = lambda s: print(s, file=sys.stderr, flush=True)
    home = tempfile.mkdtemp(prefix="crm-bench-home-")
    env0 = hermetic_env(home)
    timings = {}
    try:
        t0 = time.time()
        model = Model(args.customers, args.seed, args.history_days,
                      parse_moment(args.now)).build()
        timings["model_s"] = round(time.time() - t0, 2)
        log("model: %d customers, %d events in %.1f s" % (
            args.customers, len(model.events), timings["model_s"]))
        build = not (args.check and os.path.exists(os.path.join(out, ".git")))
        if build:
            t1 = time.time()
            ncommits = build_store(model, out, crm, env0, log)
            timings["store_s"] = round(time.time() - t1, 2)
        else:
            ap_ = Applier(model)
            for e in model.events:
                ap_.apply(e)
            ncommits = None
        ntasks = None
        t2 = time.time()
        if args.vcards:
            if os.path.exists(args.vcards):
                shutil.rmtree(args.vcards)
            write_vcards(model, args.vcards)
        if args.tasks:
            ntasks = write_tasks(model, args.tasks)
        if args.csv:
            write_csv(model, args.csv)
        timings["extras_s"] = round(time.time() - t2, 2)
        timings["total_s"] = round(time.time() - t0, 2)

        sizes = [len(render(c).encode()) for c in model.custs]
        open_fus = sum(1 for c in model.custs for f, _, _t in c.fus
                       if dict(f)["done"] == "false")
        today = model.today.isoformat()
        overdue = sum(1 for c in model.custs for f, _, _t in c.fus
                      if dict(f)["done"] == "false" and dict(f)["due"] < today)
        due_today = sum(1 for c in model.custs for f, _, _t in c.fus
                        if dict(f)["done"] == "false" and dict(f)["due"] == today)
        meta = {
            "customers": args.customers, "seed": args.seed,
            "history_days": args.history_days, "now": args.now,
            "crm_now": local_moment(model.now), "today": today,
            "tz": TZ_BERLIN, "commits": ncommits,
            "events": len(model.events),
            "record_bytes_mean": round(sum(sizes) / len(sizes), 1),
            "record_bytes_median": sorted(sizes)[len(sizes) // 2],
            "record_bytes_max": max(sizes),
            "records_bytes_total": sum(sizes),
            "vip": sum(1 for c in model.custs if "vip" in c.tags),
            "open_followups": open_fus, "overdue_followups": overdue,
            "due_today_followups": due_today, "tasks": ntasks,
            "log_entries": sum(len(c.log) for c in model.custs),
            "deals": sum(len(c.deals) for c in model.custs),
            "open_deals": sum(1 for c in model.custs for d, _ in c.deals
                              if not any(k == "closed" for k, _ in d.fields)),
            "search_text": search_text(model),
            "ids": [c.id for c in model.custs],
            "timings": timings,
        }
        if build:
            meta["head"] = subprocess.run(
                ["git", "-C", out, "rev-parse", "HEAD"], env=env0, text=True,
                check=True, capture_output=True).stdout.strip()
            meta["git_bytes"] = du(os.path.join(out, ".git"))
            meta["customers_dir_bytes"] = du(os.path.join(out, "customers"))
        log("records: mean %.0f bytes, median %d, max %d; %d open follow-ups"
            " (%d overdue, %d due today), %d vip" % (
                meta["record_bytes_mean"], meta["record_bytes_median"],
                meta["record_bytes_max"], open_fus, overdue, due_today,
                meta["vip"]))
        if build:
            log("store: %s, .git %.1f MB, customers/ %.1f MB (apparent); "
                "built in %.1f s" % (out, meta["git_bytes"] / 1e6,
                                    meta["customers_dir_bytes"] / 1e6,
                                    timings["total_s"]))
        rc = 0
        if args.check:
            t3 = time.time()
            fails = run_check(model, out, crm, env0, log=log)
            meta["check_s"] = round(time.time() - t3, 1)
            if fails:
                log("check FAILED:\n" + "\n".join(fails[:20]))
                rc = 1
            else:
                log("check: ok (%.1f s)" % meta["check_s"])
        if args.meta:
            with open(args.meta, "w") as f:
                json.dump(meta, f, indent=1)
        return rc
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
