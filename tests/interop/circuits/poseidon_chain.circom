pragma circom 2.0.0;

include "lib/poseidon_chain.circom";

// The largest interop circuit: 30 Poseidon hashes, about 15,500 constraints
// (circom's default --O1 keeps the linear ones), a 2^14 evaluation domain.
component main {public [salt]} = PoseidonChain(30);
