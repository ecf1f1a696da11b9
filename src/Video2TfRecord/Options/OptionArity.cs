namespace Video2TfRecord.Options;

/// <summary>How many words an option takes after its name.</summary>
public enum OptionArity
{
    /// <summary>None: a switch (<c>--overwrite</c>); a front end may still pass <c>true</c> or <c>false</c>.</summary>
    Flag,

    /// <summary>Exactly one word (<c>--frames 16</c>).</summary>
    Value,

    /// <summary>One word or none (<c>--audio</c>, <c>--audio required</c>): bare, the option takes its bare value.</summary>
    OptionalValue,

    /// <summary>One word each time, repeatable (<c>--pattern '*.mp4' --pattern '*.avi'</c>).</summary>
    Values,
}
