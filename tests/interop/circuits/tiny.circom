pragma circom 2.0.0;

// A handful of constraints with both public outputs and public inputs:
// public signals [y, z, a, b] (snarkjs order: outputs, then public inputs).
template Tiny() {
    signal input a;
    signal input b;
    signal input c;
    signal output y;
    signal output z;

    signal t;
    signal u;
    t <== a * b;
    u <== t * c;
    y <== u + a;
    z <== y * y + c;
}

component main {public [a, b]} = Tiny();
