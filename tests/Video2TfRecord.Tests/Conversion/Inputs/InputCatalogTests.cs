using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Inputs;

public class InputCatalogTests
{
    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0]);
    }

    [Fact]
    public void Folders_are_walked_recursively_sorted_ordinally_with_default_extensions()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "b", "z.MP4"));
        Touch(temp.Combine("root", "a.avi"));
        Touch(temp.Combine("root", "B.webm"));
        Touch(temp.Combine("root", "notes.txt"));
        Touch(temp.Combine("root", ".hidden", "x.mp4"));
        Touch(temp.Combine("root", ".y.mp4"));

        var catalog = InputCatalog.Build([temp.Combine("root")], []);

        Assert.Equal(["B.webm", "a.avi", "b/z.MP4"], catalog.Select(e => e.RelativePath));
        Assert.Equal(["B", "a", "b/z"], catalog.Select(e => e.Id));
    }

    [Fact]
    public void Symlinked_folders_are_followed_and_a_link_back_into_the_tree_is_not()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "real", "a.mp4"));
        Touch(temp.Combine("elsewhere", "b.mp4"));
        Directory.CreateSymbolicLink(temp.Combine("root", "link"), temp.Combine("elsewhere"));
        Directory.CreateSymbolicLink(temp.Combine("root", "real", "loop"), temp.Combine("root"));
        Directory.CreateSymbolicLink(temp.Combine("root", "dangling"), temp.Combine("nowhere"));
        var notes = new List<string>();

        var catalog = InputCatalog.Build([temp.Combine("root")], [], notes);

        Assert.Equal(["link/b.mp4", "real/a.mp4"], catalog.Select(e => e.RelativePath));
        Assert.Equal(["followed 1 symlinked folders",
            $"not following {temp.Combine("root", "real", "loop")}: it leads back to a folder it is inside (a symlink loop)"], notes);
    }

    [Fact]
    public void A_run_over_symlinked_folders_says_so()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("data"), "a", 4, TestCodec.MjpegAvi, 32, 24);
        Directory.CreateDirectory(temp.Combine("in"));
        Directory.CreateSymbolicLink(temp.Combine("in", "train"), temp.Combine("data"));

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("followed 1 symlinked folders", run.Error, StringComparison.Ordinal);
        Assert.Contains("inputs: followed 1 symlinked folders\n", run.Output, StringComparison.Ordinal);
        Assert.Equal(["train/a"], RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")).Select(r => r.Id));
    }

    [Fact]
    public void Videos_whose_paths_differ_only_in_the_extension_keep_it_in_their_ids()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "a", "b.avi"));
        Touch(temp.Combine("root", "a", "b.mp4"));
        Touch(temp.Combine("root", "a", "c.mp4"));

        var catalog = InputCatalog.Build([temp.Combine("root")], []);

        Assert.Equal(["a/b.avi", "a/b.mp4", "a/c"], catalog.Select(e => e.Id));
    }

    [Fact]
    public void A_backslash_in_a_file_name_stays_in_its_id_and_meets_no_folder()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "a", "b.mp4"));
        Touch(temp.Combine("root", "a\\b.mp4"));

        var catalog = InputCatalog.Build([temp.Combine("root")], []);

        Assert.Equal(["a/b", "a\\b"], catalog.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_that_stay_shared_after_keeping_extensions_are_refused_naming_both_files()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "b.avi"));
        Touch(temp.Combine("root", "b.mp4"));
        Touch(temp.Combine("root", "b.avi.mkv"));

        var error = Assert.Throws<OptionException>(() => InputCatalog.Build([temp.Combine("root")], []));

        Assert.Equal($"two videos would get the id 'b.avi': {temp.Combine("root", "b.avi")} and {temp.Combine("root", "b.avi.mkv")}; rename one of them or leave one out with --pattern", error.Message);
    }

    [Fact]
    public void Patterns_replace_the_default_extensions()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "a.mp4"));
        Touch(temp.Combine("root", "b.avi"));
        Touch(temp.Combine("root", "c.bin"));

        var catalog = InputCatalog.Build([temp.Combine("root")], ["*.bin", "?.avi"]);

        Assert.Equal(["b.avi", "c.bin"], catalog.Select(e => e.RelativePath));
    }

    [Fact]
    public void Files_named_explicitly_are_taken_whatever_their_extension_and_duplicates_drop()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("clip.data"));

        var catalog = InputCatalog.Build([temp.Combine("clip.data"), temp.Combine("clip.data")], []);

        Assert.Equal(["clip.data"], catalog.Select(e => e.RelativePath));
        Assert.Equal("clip", catalog[0].Id);
    }

    [Fact]
    public void Two_files_with_one_relative_path_are_refused_naming_both()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("x", "clip.mp4"));
        Touch(temp.Combine("y", "clip.mp4"));

        var error = Assert.Throws<OptionException>(() => InputCatalog.Build([temp.Combine("x"), temp.Combine("y")], []));

        Assert.Contains(temp.Combine("x", "clip.mp4"), error.Message, StringComparison.Ordinal);
        Assert.Contains(temp.Combine("y", "clip.mp4"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stat_fields_the_catalog_reads_are_where_the_headers_put_them()
    {
        var printed = CProgram.PrintedValues("""
            #include <stdio.h>
            #include <stddef.h>
            #include <sys/stat.h>
            int main(void) {
                printf("st_dev %zu\nst_ino %zu\nsize %zu\ndev_size %zu\nino_size %zu\n", offsetof(struct stat, st_dev), offsetof(struct stat, st_ino),
                    sizeof(struct stat), sizeof(((struct stat*)0)->st_dev), sizeof(((struct stat*)0)->st_ino));
                return 0;
            }
            """);

        Assert.Equal((0L, 8L, 8L, 8L), (printed["st_dev"], printed["st_ino"], printed["dev_size"], printed["ino_size"]));
        Assert.InRange(printed["size"], 16, 256);
    }
}
