namespace FedLearn.Privacy.Accounting;

/// <summary>How <see cref="ClientPrivacyLedger"/> counts the rounds a client took part in.</summary>
public enum ClientLedgerMode
{
    /// <summary>Each round the client took part in is one step at the round's sample rate q (amplification by sampling kept).</summary>
    Amplified,

    /// <summary>Each round the client took part in is one step at sample rate 1: valid even when participation is public.</summary>
    Unamplified,
}
