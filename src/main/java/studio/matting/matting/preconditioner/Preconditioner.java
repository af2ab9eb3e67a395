package studio.matting.matting.preconditioner;

/** z = M⁻¹ r for a symmetric positive definite approximation M of the system matrix. */
public interface Preconditioner {
    void apply(double[] r, double[] z);

    /** Short name for logs and the bench table. */
    String name();
}
