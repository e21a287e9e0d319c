package org.rlhf4j.data.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class CharTokenizerProperties {

    @Property(tries = 500)
    void decodeInvertsEncodeOnItsOwnCorpus(@ForAll @StringLength(min = 1, max = 60) String corpus) {
        // any string, lone surrogates included: each code point is a character
        CharTokenizer t = CharTokenizer.fromCorpus(corpus);
        assertEquals(corpus, t.decode(t.encode(corpus)));
        assertEquals(t, CharTokenizer.fromJson(t.toJson()));
    }
}
