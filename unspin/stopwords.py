"""English function words: the closed-class words that synonym spinners leave alone.

Articles, pronouns, prepositions, conjunctions, auxiliaries and a few frequent adverbs.
Written for unspin; short on purpose, since each entry must be a word no thesaurus swaps.
"""

STOPWORDS: frozenset[str] = frozenset(
    """
    a an the this that these those some any each every no all both either neither
    i me my mine myself we us our ours ourselves you your yours yourself yourselves
    he him his himself she her hers herself it its itself they them their theirs themselves
    who whom whose which what whatever whoever whichever
    about above across after against along amid among around as at before behind below
    beneath beside besides between beyond by despite down during except for from in
    inside into like near of off on onto out outside over past per since than through
    throughout till to toward towards under underneath unlike until up upon via with
    within without
    and but or nor so yet if then else because although though while whereas whether
    unless once when whenever where wherever how why
    be am is are was were been being have has had having do does did doing done
    will would shall should can could may might must ought
    not no nor only also too very just even still already again ever never
    here there now then more most less least much many few several such own same other
    another
    i'm you're he's she's it's we're they're i've you've we've they've i'd you'd he'd she'd
    we'd they'd i'll you'll he'll she'll we'll they'll isn't aren't wasn't weren't hasn't
    haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't can't cannot
    couldn't mustn't let's that's who's what's here's there's where's when's why's how's
    s t
    """.split()
)

# Words a thesaurus swap never touches: swapping them ("in" -> "inch", "may" -> "May") is what
# makes spun text unreadable even to spinners; the spinner's phrase table
# rewrites some of them.
FUNCTION_WORDS: frozenset[str] = frozenset("""
a about above after again against all also am an and any are as at be been before being below
between both but by can could did do does doing done down during each either else ever every few
for from further had has have having he her here hers herself him himself his how i if in into is
it its itself just let like may me might mine more most much must my myself neither no nor not now
of off on once one only or other ought our ours ourselves out over own per same shall she should so
some such than that the their theirs them themselves then there these they this those though
through thus till to too under until up upon us very was we were what when where whether which
while who whom whose why will with within without would yet you your yours yourself yourselves
mr mrs ms dr st also says say said get got go goes went gone make made take took taken
still even back well already
""".split())
