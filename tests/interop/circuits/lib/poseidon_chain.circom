pragma circom 2.0.0;

include "circomlib/circuits/poseidon.circom";

// h[0] = x; h[i+1] = Poseidon(h[i], salt + i); out = h[n].  One step is
// circomlib's Poseidon with two inputs: 240 constraints under --O2, about
// 518 under circom's default --O1 (which keeps the linear constraints).
template PoseidonChain(n) {
    signal input x;
    signal input salt;
    signal output out;

    component p[n];
    signal h[n + 1];
    h[0] <== x;
    for (var i = 0; i < n; i++) {
        p[i] = Poseidon(2);
        p[i].inputs[0] <== h[i];
        p[i].inputs[1] <== salt + i;
        h[i + 1] <== p[i].out;
    }
    out <== h[n];
}
