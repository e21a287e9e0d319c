package org.rlhf4j.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Brings the tensor names of a Hugging Face GPT-2 file to one form. Files saved from
 * {@code GPT2LMHeadModel} name the body {@code transformer.h.0.attn.c_attn.weight} and may add
 * {@code lm_head.weight}; files saved from {@code GPT2Model} (the hub's gpt2 among them) drop the
 * {@code transformer.} prefix; either may carry the attention-mask buffers {@code attn.bias} and
 * {@code attn.masked_bias}, which are constants, not parameters. The canonical form is the
 * {@code GPT2LMHeadModel} one, which rlhf4j's parameters use:
 * <pre>
 *   transformer.wte.weight  transformer.wpe.weight  transformer.ln_f.{weight,bias}  lm_head.weight
 *   transformer.h.{i}.ln_1.{weight,bias}            transformer.h.{i}.ln_2.{weight,bias}
 *   transformer.h.{i}.attn.c_attn.{weight,bias}     transformer.h.{i}.attn.c_proj.{weight,bias}
 *   transformer.h.{i}.mlp.c_fc.{weight,bias}        transformer.h.{i}.mlp.c_proj.{weight,bias}
 * </pre>
 * A missing {@code lm_head.weight} means the head is tied to {@code transformer.wte.weight}. Names
 * that fit none of this are reported, not guessed at.
 */
public final class HfGpt2Names {

    public static final String LM_HEAD = "lm_head.weight";
    public static final String PREFIX = "transformer.";

    private static final String LAYER = "h\\.(?:0|[1-9][0-9]{0,8})\\.";
    private static final Pattern PARAMETER = Pattern.compile("transformer\\.(?:(?:wte|wpe)\\.weight|ln_f\\.(?:weight|bias)|"
            + LAYER + "(?:ln_1|ln_2|attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj)\\.(?:weight|bias))");
    private static final Pattern MASK_BUFFER = Pattern.compile("(?:transformer\\.)?" + LAYER + "attn\\.(?:bias|masked_bias)");

    /**
     * The outcome of {@link #normalise}.
     *
     * @param canonical file name -> canonical name, for the names kept, in input order
     * @param dropped the attention-mask buffers, which a loader skips
     * @param unknown names that are neither a GPT-2 parameter nor a mask buffer
     * @param conflicts names that collide with another after normalising (e.g. both {@code h.0.ln_1.weight}
     *     and {@code transformer.h.0.ln_1.weight})
     * @param tiedLmHead whether {@code lm_head.weight} is absent, so the head reuses the token embedding
     */
    public record Result(Map<String, String> canonical, List<String> dropped, List<String> unknown,
                         List<String> conflicts, boolean tiedLmHead) {
        public Result {
            canonical = Collections.unmodifiableMap(new LinkedHashMap<>(canonical));
            dropped = List.copyOf(dropped);
            unknown = List.copyOf(unknown);
            conflicts = List.copyOf(conflicts);
        }
    }

    private HfGpt2Names() {
    }

    /** Sorts {@code names} into kept (with canonical names), dropped, unknown and conflicting. */
    public static Result normalise(Collection<String> names) {
        Map<String, String> canonical = new LinkedHashMap<>();
        Map<String, String> claimedBy = new HashMap<>();
        List<String> dropped = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        boolean head = false;
        for (String name : names) {
            String c;
            if (name.equals(LM_HEAD)) {
                c = LM_HEAD;
                head = true;
            } else if (MASK_BUFFER.matcher(name).matches()) {
                dropped.add(name);
                continue;
            } else {
                c = name.startsWith(PREFIX) ? name : PREFIX + name;
                if (!PARAMETER.matcher(c).matches()) {
                    unknown.add(name);
                    continue;
                }
            }
            String other = claimedBy.putIfAbsent(c, name);
            if (other != null) {
                conflicts.add(name);
                continue;
            }
            canonical.put(name, c);
        }
        return new Result(canonical, dropped, unknown, conflicts, !head);
    }
}
