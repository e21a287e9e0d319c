/**
 * data.tokenizer: text to token ids and back. {@link org.rlhf4j.data.tokenizer.Tokenizer} is the
 * contract (encode, decode, vocabulary size, end-of-text id, a JSON form saved beside a model);
 * {@link org.rlhf4j.data.tokenizer.CharTokenizer} is nanoGPT's character-level tokenizer (one id per
 * distinct code point of a corpus), and {@link org.rlhf4j.data.tokenizer.Gpt2Tokenizer} is GPT-2's
 * byte-level BPE (Radford et al. 2019), split into its parts: the byte-to-character table
 * ({@code ByteLevel}), the pre-tokenisation pattern ({@code Gpt2PreTokenizer}) and the merge loop
 * ({@code BytePairMerger}). OpenAI's GPT-2 vocabulary and merges are bundled as resources (see NOTICE);
 * the encoding is checked token for token against jtokkit's {@code r50k_base} in the tests, and
 * docs/data.md explains the algorithm.
 *
 * <p>May import: the JDK, Jackson and the base package {@code org.rlhf4j} (its root exception) only. Nothing else in rlhf4j, so the tokenizers can be used alone.
 */
package org.rlhf4j.data.tokenizer;
