package studio.matting.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Set;

/** The command-line entry point; subcommands share the core with the editor and need no JavaFX. */
@Command(name = "matting-studio", mixinStandardHelpOptions = true, version = "Matting Studio 0.1.0",
        description = "Matting Studio: soft alpha mattes, cut-outs and ID photos. Without a command, opens the editor.",
        subcommands = {CommandLine.HelpCommand.class, MatteCommand.class, IdPhotoCommand.class, EvalCommand.class, BenchCommand.class,
                ModelsCommand.class})
public final class MattingCli implements Runnable {
    /** First words that select the CLI instead of the editor. Subcommands add their names here. */
    static final Set<String> COMMANDS = Set.of("help", "--help", "-h", "--version", "-V", "matte", "eval", "bench", "idphoto",
            "models");

    public static boolean isCliInvocation(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    public static int run(String... args) {
        return configure(new CommandLine(new MattingCli())).execute(args);
    }

    /**
     * Bad arguments and bad input end in one clear line and exit code 2, not a stack trace; other failures print
     * their message and exit 1.
     */
    public static CommandLine configure(CommandLine cl) {
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean usage = ex instanceof IllegalArgumentException;
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            cmd.getErr().println("error: " + msg);
            cmd.getErr().flush();
            return usage ? 2 : 1;
        });
        return cl;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
