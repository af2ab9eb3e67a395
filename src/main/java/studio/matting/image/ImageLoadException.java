package studio.matting.image;

import java.io.IOException;

/** An image could not be read; the message is meant for the user as it stands. */
public class ImageLoadException extends IOException {
    public ImageLoadException(String message) { super(message); }

    public ImageLoadException(String message, Throwable cause) { super(message, cause); }
}
