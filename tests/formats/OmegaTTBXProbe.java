// Prints what OmegaT's own TBX glossary reader (GlossaryReaderTBX) reads from a file:
// source<TAB>target<TAB>comment (newlines in the comment as \n), for an AR -> EN project.
// Run by tests/formats/test_omegat.py in Java source-file mode: java -cp OmegaT.jar OmegaTTBXProbe.java FILE
import java.io.File;
import java.lang.reflect.Proxy;
import java.util.List;
import org.omegat.core.Core;
import org.omegat.core.data.IProject;
import org.omegat.core.data.ProjectProperties;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;

public class OmegaTTBXProbe {
    public static void main(String[] args) throws Exception {
        File file = new File(args[0]);
        ProjectProperties props = new ProjectProperties(file.getAbsoluteFile().getParentFile());
        props.setSourceLanguage("AR");
        props.setTargetLanguage("EN");
        IProject project = (IProject) Proxy.newProxyInstance(IProject.class.getClassLoader(), new Class<?>[] {IProject.class},
            (proxy, method, margs) -> {
                if (method.getName().equals("getProjectProperties")) return props;
                if (method.getName().equals("isProjectLoaded")) return true;
                return null;
            });
        Core.setProject(project);
        List<GlossaryEntry> entries = GlossaryReaderTBX.read(file, false);
        StringBuilder sb = new StringBuilder();
        for (GlossaryEntry e : entries) {
            sb.append(e.getSrcText()).append('\t').append(e.getLocText()).append('\t')
              .append(e.getCommentText().replace("\n", "\\n")).append('\n');
        }
        System.out.write(sb.toString().getBytes("UTF-8"));
        System.out.flush();
    }
}
