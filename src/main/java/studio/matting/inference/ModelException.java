package studio.matting.inference;

import studio.matting.matting.MattingException;

/**
 * A model that cannot be used: missing or corrupt file, card errors, hash mismatch, graph that does not match its card.
 * The message is written for the user ("Model mnet.onnx: SHA-256 mismatch (card says ..., file is ...)").
 */
public class ModelException extends MattingException {
    public ModelException(String message) { super(message); }

    public ModelException(String message, Throwable cause) { super(message, cause); }
}
