// Prints what OmegaT's own glossary reader (GlossaryReaderTSV) reads from a file: source<TAB>target<TAB>comment.
// Run by tests/formats/test_omegat.py in Java source-file mode: java -cp OmegaT.jar OmegaTGlossaryProbe.java FILE
import java.io.File;
import java.util.List;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTSV;

public class OmegaTGlossaryProbe {
    public static void main(String[] args) throws Exception {
        List<GlossaryEntry> entries = GlossaryReaderTSV.read(new File(args[0]), false);
        StringBuilder sb = new StringBuilder();
        for (GlossaryEntry e : entries) {
            sb.append(e.getSrcText()).append('\t').append(e.getLocText()).append('\t').append(e.getCommentText()).append('\n');
        }
        System.out.write(sb.toString().getBytes("UTF-8"));
        System.out.flush();
    }
}
