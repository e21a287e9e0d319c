package org.rlhf4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.rlhf4j.embedding.ChildJvm;

/**
 * The register tile's rows (SimdMatmulKernel.MR) follow the vector width, and the result does not depend
 * on them: a child JVM forced to 6 rows and one forced to 8 ({@code -Drlhf4j.simd.tileRows}) compute the
 * products of {@link TileRowsProbe} to the same bits as this JVM, whichever tile it picked. Every element
 * of C is one chain of fused multiply-adds over k in order whatever the tile, so this holds exactly; a
 * tile that dropped or repeated a row or a k step would change the CRC.
 */
class SimdTileRowsTest {

    @Test
    void tileRowsFollowTheVectorWidthUnlessOverridden() {
        int natural = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 8 : 6;
        assertEquals(natural, SimdMatmulKernel.tileRows(0));
        assertEquals(natural, SimdMatmulKernel.tileRows(7), "an unsupported value is ignored");
        assertEquals(6, SimdMatmulKernel.tileRows(6));
        assertEquals(8, SimdMatmulKernel.tileRows(8));
        assertEquals(0, SimdMatmul.MC % SimdMatmulKernel.MR, "an A block is whole panels");
    }

    @Test
    void sixAndEightRowTilesGiveTheSameBits() throws Exception {
        String here = "rows=" + SimdMatmulKernel.MR + " crc=" + TileRowsProbe.crcOfProducts();
        for (int rows : new int[] {6, 8}) {
            String child = run(rows);
            assertEquals("rows=" + rows + here.substring(here.indexOf(' ')), child,
                    "this JVM (" + here + ") against a child with -Drlhf4j.simd.tileRows=" + rows);
        }
    }

    private static String run(int rows) throws Exception {
        List<String> cmd = ChildJvm.command(List.of("--add-modules", "jdk.incubator.vector", "-Xmx256m",
                "-Drlhf4j.simd.tileRows=" + rows), TileRowsProbe.class);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        String text = new String(out, StandardCharsets.UTF_8);
        assertTrue(finished && p.exitValue() == 0, cmd + "\n" + text);
        return text.lines().filter(l -> l.startsWith("rows=")).findFirst().orElse(text);
    }
}
