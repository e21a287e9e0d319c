package org.rlhf4j.kernels.opencl;

import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLLoader;
import com.aparapi.internal.opencl.OpenCLPlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.kernels.BackendUnavailableException;

/**
 * The OpenCL platforms and devices Aparapi can see, and the choice among them
 * ({@code -Drlhf4j.opencl.device=<index or name substring>}, default: the first GPU, else the first device).
 * Nothing here runs a kernel; the list is read once per call (OpenCL drivers answer in milliseconds).
 */
public final class OpenClDevices {

    /** System property choosing the device: its index in {@link #list()} or a substring of its name. */
    public static final String DEVICE_PROPERTY = org.rlhf4j.kernels.Backends.OPENCL_DEVICE_PROPERTY;

    /** How to get an OpenCL runtime on Debian / Ubuntu; every "missing" message ends with it. */
    public static final String INSTALL_HINT = "install an OpenCL runtime: on a CPU, apt-get install"
            + " ocl-icd-libopencl1 pocl-opencl-icd (PoCL); on a GPU, the vendor's driver and its ICD"
            + " (/etc/OpenCL/vendors/*.icd); `clinfo -l` lists what the loader sees";

    /** One device: its place in {@link #list()}, its platform and name, compute units, and OpenCL type (gpu, cpu, acc). */
    public record Info(int index, String platform, String name, int computeUnits, String type) {
        /** The line {@code rlhf4j info} prints: platform, device name, compute units, type. */
        public String describe() {
            return "#" + index + " platform=\"" + platform + "\" device=\"" + name + "\" compute-units=" + computeUnits
                    + " type=" + type;
        }
    }

    private OpenClDevices() {
    }

    /**
     * Every OpenCL device of every platform, in the loader's order.
     *
     * @throws BackendUnavailableException when no OpenCL runtime (libOpenCL and Aparapi's native
     *         library) can be loaded, or no platform offers a device; the message says which and how to mend it
     */
    public static List<Info> list() {
        List<Info> out = new ArrayList<>();
        for (OpenCLDevice d : devices()) {
            out.add(new Info(out.size(), d.getOpenCLPlatform().getName().trim(), d.getName().trim(),
                    d.getMaxComputeUnits(), String.valueOf(d.getType()).toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    /** The lines of {@link #list()} for {@code rlhf4j info}. */
    public static List<String> describe() {
        return list().stream().map(Info::describe).toList();
    }

    /** The device {@code -Drlhf4j.opencl.device} names, or the first GPU, or the first device. */
    static OpenCLDevice choose() {
        return choose(System.getProperty(DEVICE_PROPERTY));
    }

    static OpenCLDevice choose(String spec) {
        List<OpenCLDevice> all = devices();
        if (spec == null || spec.isBlank()) {
            return all.stream().filter(d -> d.getType() == com.aparapi.device.Device.TYPE.GPU).findFirst()
                    .orElse(all.get(0));
        }
        String s = spec.trim();
        if (s.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(s);
            if (i >= all.size()) {
                throw new BackendUnavailableException("-D" + DEVICE_PROPERTY + "=" + s + ": there are only "
                        + all.size() + " OpenCL devices (" + names(all) + ")");
            }
            return all.get(i);
        }
        String want = s.toLowerCase(Locale.ROOT);
        return all.stream().filter(d -> d.getName().toLowerCase(Locale.ROOT).contains(want)).findFirst()
                .orElseThrow(() -> new BackendUnavailableException("-D" + DEVICE_PROPERTY + "=" + s
                        + ": no OpenCL device's name contains it (" + names(all) + ")"));
    }

    private static String names(List<OpenCLDevice> all) {
        List<String> n = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            n.add(i + ": " + all.get(i).getName().trim());
        }
        return String.join(", ", n);
    }

    private static List<OpenCLDevice> devices() {
        if (!OpenCLLoader.isOpenCLAvailable()) {
            throw new BackendUnavailableException("no OpenCL runtime: Aparapi could not load its native library"
                    + " or libOpenCL.so.1; " + INSTALL_HINT);
        }
        List<OpenCLDevice> all = new ArrayList<>();
        for (OpenCLPlatform p : OpenCLPlatform.getUncachedOpenCLPlatforms()) {
            all.addAll(p.getOpenCLDevices());
        }
        if (all.isEmpty()) {
            throw new BackendUnavailableException("no OpenCL device: the OpenCL loader found no platform with a"
                    + " device (no ICD in /etc/OpenCL/vendors, or its driver found no hardware); " + INSTALL_HINT);
        }
        return all;
    }
}
