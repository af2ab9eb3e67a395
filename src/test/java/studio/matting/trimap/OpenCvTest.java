package studio.matting.trimap;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OpenCvTest {
    @Test
    void theReasonIsTheInnermostMessageNotNull() {
        Throwable wrapped = new RuntimeException(null, new IllegalStateException(null, new IOException("No space left on device")));
        assertEquals("IOException: No space left on device", OpenCv.reason(wrapped));
        assertEquals("UnsatisfiedLinkError", OpenCv.reason(new UnsatisfiedLinkError()));
    }
}
