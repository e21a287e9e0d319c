package org.rlhf4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loaded contents of a safetensors file: its tensors, in the order their data lies in the file,
 * and its {@code __metadata__} strings.
 */
public record SafeTensorsFile(List<NamedTensor> tensors, Map<String, String> metadata) {

    public SafeTensorsFile {
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The tensor called {@code name}, or null. */
    public NamedTensor get(String name) {
        for (NamedTensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Name -> tensor, in file order. */
    public Map<String, NamedTensor> byName() {
        Map<String, NamedTensor> map = new LinkedHashMap<>();
        for (NamedTensor t : tensors) {
            map.put(t.name(), t);
        }
        return Collections.unmodifiableMap(map);
    }
}
