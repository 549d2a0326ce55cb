namespace MerlinAdapt.Model.Tokenization;

/// <summary>
/// Token ids of several texts, right-padded to the longest one, as Hugging Face returns them for
/// <c>padding=True</c>: <c>input_ids</c> and <c>attention_mask</c>, both [batch, sequence] and int64 (the
/// dtype the text encoder's embedding lookup takes), so they go to a tensor without a conversion.
/// </summary>
/// <param name="Ids">Token ids; the pad id after a text's last token.</param>
/// <param name="AttentionMask">1 for a real token, 0 for padding.</param>
public sealed record TokenBatch(long[,] Ids, long[,] AttentionMask)
{
    public int Count => Ids.GetLength(0);

    /// <summary>The padded length: the longest text's id count.</summary>
    public int SequenceLength => Ids.GetLength(1);

    /// <summary>The ids of one text without its padding.</summary>
    public long[] Row(int index)
    {
        var length = 0;
        while (length < SequenceLength && AttentionMask[index, length] != 0) length++;
        var row = new long[length];
        for (var j = 0; j < length; j++) row[j] = Ids[index, j];
        return row;
    }
}
