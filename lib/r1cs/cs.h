/*
 * cs.h -- the constraint-system builder: write a circuit once in C, get its
 * rank-1 constraint system (for setup) and its witness (for proving) from
 * the same code.
 *
 * ------------------------------------------------------------------ model
 *
 * A zk_cs holds variables, a scratch arena of linear combinations, the
 * constraints <A,w> * <B,w> = <C,w> added so far, a tree of named scopes,
 * and (in the witness modes) one value per variable.  It is created in one
 * of three modes:
 *
 *   ZK_CS_SHAPE         constraints only, no values (setup).  Every value
 *                       read (zk_cs_val, zk_lc_eval) is 0, values passed
 *                       to allocations are ignored.
 *   ZK_CS_WITNESS       values and constraints (tests, zk_cs_is_satisfied,
 *                       exporting a .r1cs/.wtns pair).
 *   ZK_CS_WITNESS_ONLY  values only: constraints are counted (per scope
 *                       too) but not stored, so witness generation costs
 *                       no constraint memory (a prover that already holds
 *                       the key).  .r1cs export and is_satisfied refuse it.
 *
 * THE RULE: the structure of the system -- which variables are allocated,
 * of which kind, in which order, which constraints with which coefficients
 * in which scopes -- must never depend on values or on the mode.  Gadget
 * code computes every value unconditionally (in SHAPE mode on zeros) and
 * hands it to the allocation; it may skip an expensive *value* computation
 * when zk_cs_has_values() is 0, but must never branch on a value or the
 * mode to decide what to allocate or constrain.  Hints (the bits of x, the
 * inverse of x for is-zero) are ordinary C on zk_fr values and must cope
 * with all-zero inputs (zk_fr_inv of 0 fails and leaves 0: fine).
 * zk_cs_check_modes() builds a gadget in both modes and compares the two
 * systems; every gadget test should call it.
 *
 * Corollary: do not allocate variables in two arguments of one call, as in
 * f(zk_cs_mul(cs, ..), zk_cs_alloc(cs, ..)): C leaves the evaluation order
 * unspecified, so a setup built by one compiler and a prover built by
 * another could number the variables differently.  Nesting one allocating
 * call, or calls that only make LCs (zk_lc_*), is fine.
 *
 * -------------------------------------------------------------- variables
 *
 * zk_var is a handle (builder index).  ZK_CS_ONE is the constant 1.  Kinds:
 * public output, public input, private input, internal.  Allocate in any
 * order; exports renumber to circom's wire order:
 *
 *   wire 0 = ONE, then public outputs, public inputs, private inputs (each
 *   in allocation order), then internal variables in allocation order.
 *
 * So public signals are wires 1 .. n_pub_out + n_pub_in, as snarkjs
 * expects, and the .r1cs/.wtns pair is interchangeable with circom's.
 * zk_cs_wire() gives a variable's wire at any time (it shifts while
 * variables of earlier kinds are still being added).
 *
 * ---------------------------------------------------- linear combinations
 *
 * zk_lc is a small value (two integers) naming an immutable slice of the
 * cs's scratch arena.  Every LC operation takes LCs and returns a new one;
 * its inputs are never modified, so an LC may be copied, shared, passed
 * to and returned from gadgets freely.  Results are canonical: terms
 * sorted by variable, no variable twice (duplicates are merged by adding
 * coefficients), and terms whose coefficient is zero are DROPPED (x - x is
 * the empty LC, 0 * x is the empty LC; a constant is a term on ONE).
 *
 * Ownership: the cs owns all LC storage.  It is released in stack order:
 *
 *     size_t m = zk_cs_mark(cs);
 *     ... LCs made here ...
 *     zk_cs_release(cs, m);                  // all of them are now invalid
 *     zk_cs_release_keep(cs, m, &out, 1);    // all but out (moved down)
 *
 * An LC made before the mark stays valid.  Using an LC after its storage
 * was released is a bug that is not always detected (a handle beyond the
 * arena's top is, and sets ZK_EINVAL).  Without releases the arena only
 * grows, so large circuits release per gadget (the pattern in the example
 * below): memory then stays bounded by the deepest live gadget, not by
 * the circuit.  Constraints copy their terms out of the arena, so
 * releasing never affects constraints already added.
 *
 * Cost: appending a term with a larger variable than any in an LC that is
 * the newest allocation is O(1) amortized and creates no garbage (the
 * common "sum of bits" loop); other operations copy (O(len)) into fresh
 * arena space.  No operation calls malloc per term; the arena, like every
 * array in the cs, grows by doubling.
 *
 * ------------------------------------------------------------------ scopes
 *
 * zk_cs_push(cs, "merkle") / zk_cs_pushf(cs, "tx[%u]", i) ... zk_cs_pop(cs)
 * nest like libsnark's annotations.  Every constraint and variable is
 * charged to the current scope path, e.g. "chunk/tx[3]/merkle/poseidon";
 * pushing the same name twice under the same parent reuses the scope (so
 * give instances an index if they must be told apart).  Names must not
 * contain '/'.  zk_cs_scope_report() gives per-path counts for the
 * benchmark table; zk_cs_is_satisfied() names the path of the first
 * failing constraint.
 *
 * ------------------------------------------------------------------ errors
 *
 * Errors are STICKY: the first failure (ZK_ENOMEM for an allocation,
 * ZK_EINVAL for misuse: a foreign or stale handle, pop without push, a
 * '/' in a scope name, more than 2^29 variables of one kind ...) is kept
 * in the cs; every later building call is then a no-op that returns
 * ZK_CS_ONE / the empty LC, and every function returning a status
 * (exports, checks) returns the error.  Gadget code therefore never checks
 * individual calls: check zk_cs_err() or the export's status at the end.
 * Nothing crashes on allocation failure.
 *
 * ----------------------------------------------------------- time, threads
 *
 * Values are public: nothing here is constant-time.  A zk_cs must be used
 * by one thread at a time; distinct zk_cs objects are independent.
 * Witness generation is native C: per term one field multiplication
 * (skipped for coefficient 1) and no allocation beyond amortized growth.
 * Stored constraints cost 8 bytes per term (coefficients are interned in a
 * per-cs table) plus 28 bytes per constraint.
 *
 * ---------------------------------------------------------- worked example
 *
 * A gadget proving z = x * y and x != 0 (x != 0 because x has an inverse):
 *
 *   // Returns z.  x, y: any LCs (inputs, other gadgets' outputs).
 *   static zk_var mul_nonzero(zk_cs *cs, zk_lc x, zk_lc y)
 *   {
 *       zk_cs_push(cs, "mul_nonzero");
 *       size_t m = zk_cs_mark(cs);
 *       zk_var z = zk_cs_mul(cs, x, y);              // x * y = z
 *       zk_fr xv, xinv;
 *       zk_lc_eval(&xv, cs, x);                      // 0 in SHAPE mode
 *       if (zk_fr_inv(&xinv, &xv) != ZK_OK)          // hint; x = 0 gives 0
 *           zk_fr_zero(&xinv);                       //   (and a failing
 *       zk_var inv = zk_cs_alloc(cs, &xinv);         //   witness)
 *       zk_cs_enforce(cs, x, zk_lc_var(cs, inv),     // x * inv = 1
 *                     zk_lc_const_u64(cs, 1));
 *       zk_cs_release(cs, m);                        // drop scratch LCs
 *       zk_cs_pop(cs);
 *       return z;
 *   }
 *
 *   // A circuit: public output z, public input x, private input y.
 *   static int build(zk_cs *cs, void *ctx)
 *   {
 *       const zk_fr *in = ctx;                       // in[0] = x, in[1] = y
 *       zk_var out = zk_cs_alloc_pub_out(cs, NULL);  // declared first
 *       zk_var x = zk_cs_alloc_pub_in(cs, &in[0]);
 *       zk_var y = zk_cs_alloc_prv_in(cs, &in[1]);
 *       zk_var z = mul_nonzero(cs, zk_lc_var(cs, x), zk_lc_var(cs, y));
 *       zk_fr zv;
 *       zk_cs_val(&zv, cs, z);
 *       zk_cs_set(cs, out, &zv);                     // value known now
 *       zk_cs_enforce_equal(cs, zk_lc_var(cs, out), zk_lc_var(cs, z));
 *       return zk_cs_err(cs);
 *   }
 *
 *   // Setup: zk_cs_new(&cs, ZK_CS_SHAPE); build(cs, in);
 *   //        zk_cs_write_r1cs("c.r1cs", cs);
 *   // Prove: zk_cs_new(&cs, ZK_CS_WITNESS_ONLY); build(cs, in);
 *   //        zk_cs_write_wtns("c.wtns", cs);
 *   // Test:  zk_cs_check_modes(build, in, &diff) == 0, then in
 *   //        ZK_CS_WITNESS mode zk_cs_is_satisfied(...) == 0, and a
 *   //        tampered value (zk_cs_set) must make it ZK_EVERIFY.
 *
 * (zk_cs_output(cs, lc) does the last four lines of build() in one call
 * when the output may be allocated at that point.)
 */
#ifndef ZK_R1CS_CS_H
#define ZK_R1CS_CS_H

#include <stddef.h>
#include <stdint.h>

#include "field/fr.h"
#include "io/r1cs.h"
#include "util/err.h"

#ifdef __GNUC__
#define ZK_CS_PRINTF_(f, a) __attribute__((format(printf, f, a)))
#else
#define ZK_CS_PRINTF_(f, a)
#endif

typedef struct zk_cs zk_cs;

typedef enum {
    ZK_CS_SHAPE = 0,
    ZK_CS_WITNESS = 1,
    ZK_CS_WITNESS_ONLY = 2
} zk_cs_mode;

/* A variable (builder index; not a wire number, see zk_cs_wire). */
typedef struct { uint32_t id; } zk_var;

/* A linear combination: an immutable slice of the cs's arena.  The
 * all-zero value is the empty LC (value 0) and needs no cs. */
typedef struct { uint32_t off, n; } zk_lc;

#define ZK_CS_ONE ((zk_var){0})

static inline zk_lc zk_lc_zero(void) { return (zk_lc){0, 0}; }

/* ------------------------------------------------------------ lifetime */

/* A new, empty system holding only ONE.  ZK_ENOMEM, ZK_EINVAL (out NULL or
 * an unknown mode); *out = NULL on error. */
ZK_WUR int zk_cs_new(zk_cs **out, zk_cs_mode mode);
/* Free cs and everything it owns; NULL is fine. */
void zk_cs_free(zk_cs *cs);

/* The sticky error: 0, or the first failure's code. */
int zk_cs_err(const zk_cs *cs);
/* Record code (negative, e.g. ZK_EINVAL for a gadget called with bad
 * sizes) as the sticky error unless one is already recorded.  Gadgets
 * call this for misuse; the same call must happen in every mode. */
void zk_cs_fail(zk_cs *cs, int code);
zk_cs_mode zk_cs_mode_of(const zk_cs *cs);
/* 1 in the witness modes, 0 in SHAPE mode (values all read as 0). */
int zk_cs_has_values(const zk_cs *cs);

/* ----------------------------------------------------------- variables */

/*
 * Allocate a variable of the given kind with *value (value NULL means 0,
 * e.g. to be set later with zk_cs_set; in SHAPE mode value is ignored).
 * The variable is charged to the current scope.  On a sticky error: no-op,
 * returns ZK_CS_ONE.
 */
zk_var zk_cs_alloc(zk_cs *cs, const zk_fr *value);        /* internal */
zk_var zk_cs_alloc_pub_out(zk_cs *cs, const zk_fr *value);
zk_var zk_cs_alloc_pub_in(zk_cs *cs, const zk_fr *value);
zk_var zk_cs_alloc_prv_in(zk_cs *cs, const zk_fr *value);

/* *out = the value of v (0 in SHAPE mode, 0 for an invalid handle; ONE is
 * 1 in the witness modes). */
void zk_cs_val(zk_fr *out, const zk_cs *cs, zk_var v);
/* Overwrite v's value (no-op in SHAPE mode).  Setting ONE or an invalid
 * handle is ZK_EINVAL (sticky).  Tests use it to tamper with a witness. */
void zk_cs_set(zk_cs *cs, zk_var v, const zk_fr *value);

/* v's wire number in the r1cs order given the variables allocated so far
 * (UINT32_MAX for an invalid handle). */
uint32_t zk_cs_wire(const zk_cs *cs, zk_var v);

/* -------------------------------------------------- linear combinations */

/* Every function below returns the empty LC on a sticky error (and sets
 * ZK_EINVAL for an invalid variable or LC handle).  Coefficient pointers
 * must not be NULL.  The inputs are never modified. */

zk_lc zk_lc_var(zk_cs *cs, zk_var v);                       /* v */
zk_lc zk_lc_term(zk_cs *cs, zk_var v, const zk_fr *c);      /* c*v */
zk_lc zk_lc_const(zk_cs *cs, const zk_fr *c);               /* c*ONE */
zk_lc zk_lc_const_u64(zk_cs *cs, uint64_t c);
zk_lc zk_lc_add_term(zk_cs *cs, zk_lc a, zk_var v, const zk_fr *c);
zk_lc zk_lc_add_var(zk_cs *cs, zk_lc a, zk_var v);          /* a + v */
zk_lc zk_lc_sub_var(zk_cs *cs, zk_lc a, zk_var v);          /* a - v */
zk_lc zk_lc_add_const(zk_cs *cs, zk_lc a, const zk_fr *c);  /* a + c */
zk_lc zk_lc_add(zk_cs *cs, zk_lc a, zk_lc b);               /* a + b */
zk_lc zk_lc_sub(zk_cs *cs, zk_lc a, zk_lc b);               /* a - b */
/* a + c*b */
zk_lc zk_lc_add_scaled(zk_cs *cs, zk_lc a, const zk_fr *c, zk_lc b);
zk_lc zk_lc_scale(zk_cs *cs, zk_lc a, const zk_fr *c);      /* c*a */
zk_lc zk_lc_neg(zk_cs *cs, zk_lc a);                        /* -a */
/* sum of c[i]*a[i] for i < n (e.g. a row of an MDS matrix) without the
 * intermediate garbage of n - 1 zk_lc_add_scaled calls; c NULL means all
 * coefficients 1.  O(n * total terms). */
zk_lc zk_lc_combine(zk_cs *cs, const zk_fr *c, const zk_lc *a, size_t n);
/* sum of c[i]*v[i] from raw arrays, in any order, duplicates allowed;
 * c NULL means all coefficients 1. */
zk_lc zk_lc_from_terms(zk_cs *cs, const zk_var *v, const zk_fr *c,
                       size_t n);

/* *out = <a, w> on the current values (0 in SHAPE mode, 0 for an invalid
 * handle; no error is recorded, since cs is const). */
void zk_lc_eval(zk_fr *out, const zk_cs *cs, zk_lc a);
/* Number of terms, and term i (0 <= i < len, sorted by variable): 0, or
 * ZK_EINVAL for i out of range or an invalid handle. */
static inline size_t zk_lc_len(zk_lc a) { return a.n; }
ZK_WUR int zk_lc_get(zk_var *v, zk_fr *c, const zk_cs *cs, zk_lc a,
                     size_t i);

/* Arena marks (see "Ownership" above).  release: every LC made after the
 * mark becomes invalid.  release_keep: the same, except that the n LCs in
 * keep[] are moved to just above the mark and keep[] is updated to name
 * them (n = 0 is a plain release; LCs made before the mark may be listed
 * and stay as they are).  A mark above the current top, or an invalid LC
 * in keep[], is ZK_EINVAL. */
size_t zk_cs_mark(const zk_cs *cs);
void zk_cs_release(zk_cs *cs, size_t mark);
void zk_cs_release_keep(zk_cs *cs, size_t mark, zk_lc *keep, size_t n);

/* --------------------------------------------------------- constraints */

/* a * b = c. */
void zk_cs_enforce(zk_cs *cs, zk_lc a, zk_lc b, zk_lc c);
/* a = b, as the linear constraint 0 * 0 = a - b (A and B empty). */
void zk_cs_enforce_equal(zk_cs *cs, zk_lc a, zk_lc b);
/* a * (a - 1) = 0. */
void zk_cs_assert_bool(zk_cs *cs, zk_lc a);
/* A new internal z with value a*b and the constraint a * b = z (always one
 * constraint, even when a or b is constant: use zk_lc_scale for that). */
zk_var zk_cs_mul(zk_cs *cs, zk_lc a, zk_lc b);
/* An internal variable equal to a: a itself when a is exactly 1*v (no
 * constraint), else a new z with the constraint 0 * 0 = a - z.  Use it to
 * cut a long LC that would be repeated in many constraints. */
zk_var zk_cs_to_var(zk_cs *cs, zk_lc a);
/* A new public output z with value a and the constraint 0 * 0 = a - z. */
zk_var zk_cs_output(zk_cs *cs, zk_lc a);

/* -------------------------------------------------------------- scopes */

/* Enter the child scope `name` of the current scope (created on first
 * use).  pushf: the name from a printf format (any length). */
void zk_cs_push(zk_cs *cs, const char *name);
void zk_cs_pushf(zk_cs *cs, const char *fmt, ...) ZK_CS_PRINTF_(2, 3);
/* Leave the current scope; ZK_EINVAL (sticky) at the root. */
void zk_cs_pop(zk_cs *cs);

typedef struct {
    const char *path;             /* "chunk/tx[3]/merkle"; "" = the root */
    unsigned depth;               /* 0 for the root */
    size_t parent;                /* index in the report; SIZE_MAX: root */
    uint64_t n_constraints;       /* added directly in this scope */
    uint64_t n_vars;              /* allocated directly in this scope */
    uint64_t n_constraints_total; /* ... in this scope and all below */
    uint64_t n_vars_total;
} zk_cs_scope_stat;

/*
 * Every scope in depth-first pre-order (children in order of creation),
 * the root first: its totals are the whole system's (ONE counts as a
 * variable of the root, so root n_vars_total == zk_cs_n_vars).  *out is
 * one malloc'ed block (paths included) that the caller frees with free().
 * Works in every mode.  ZK_ENOMEM, ZK_EINVAL, or the sticky error.
 */
ZK_WUR int zk_cs_scope_report(zk_cs_scope_stat **out, size_t *n,
                              const zk_cs *cs);

/* The scope path of constraint i into buf (snprintf-like: truncated to
 * len - 1 characters and NUL-terminated when len > 0; returns the full
 * length).  Returns 0 (buf "") when i is out of range or constraints are
 * not stored (ZK_CS_WITNESS_ONLY). */
size_t zk_cs_constraint_path(char *buf, size_t len, const zk_cs *cs,
                             size_t i);

/* -------------------------------------------------------------- counts */

size_t zk_cs_n_constraints(const zk_cs *cs);
size_t zk_cs_n_vars(const zk_cs *cs);      /* all, ONE included = nWires */
size_t zk_cs_n_pub_out(const zk_cs *cs);
size_t zk_cs_n_pub_in(const zk_cs *cs);
size_t zk_cs_n_prv_in(const zk_cs *cs);
size_t zk_cs_n_public(const zk_cs *cs);    /* n_pub_out + n_pub_in */
size_t zk_cs_n_terms(const zk_cs *cs);     /* stored terms, A+B+C */
/* Bytes currently allocated by cs (all arrays at capacity). */
size_t zk_cs_mem_bytes(const zk_cs *cs);

/* -------------------------------------------------------------- checks */

/*
 * Check every constraint on the current values (ZK_CS_WITNESS only).
 * 0 when all hold; ZK_EVERIFY when one does not, with its index in
 * *first_bad and its scope path in path[0..path_len) (both optional,
 * path truncated as in zk_cs_constraint_path); ZK_EINVAL in the other
 * modes; the sticky error if there is one.
 */
ZK_WUR int zk_cs_is_satisfied(const zk_cs *cs, size_t *first_bad,
                              char *path, size_t path_len);

/*
 * Compare the structure of two systems (modes SHAPE or WITNESS, any mix):
 * the same variables of the same kinds in the same order, the same
 * constraints (variables and coefficients) charged to the same scope
 * paths.  Values are ignored.  0 when equal; ZK_EVERIFY when not, with the
 * first differing constraint index in *first_diff (the common count when
 * one system has more constraints than the other, the constraint count
 * when only the variables differ; first_diff may be NULL); ZK_EINVAL for
 * ZK_CS_WITNESS_ONLY; either system's sticky error.
 */
ZK_WUR int zk_cs_compare(const zk_cs *a, const zk_cs *b, size_t *first_diff);

/* A circuit builder for zk_cs_check_modes: build the circuit into cs from
 * the inputs in ctx; return 0 or an error (typically zk_cs_err(cs)). */
typedef int (*zk_cs_build_fn)(zk_cs *cs, void *ctx);

/*
 * Enforce THE RULE for one input: run build(cs, ctx) in SHAPE and in
 * WITNESS mode and zk_cs_compare the results.  0 when the structures are
 * equal; ZK_EVERIFY (first_diff as in zk_cs_compare) when not; build's
 * non-zero return or a sticky error as is; ZK_ENOMEM.
 */
ZK_WUR int zk_cs_check_modes(zk_cs_build_fn build, void *ctx,
                             size_t *first_diff);

/* -------------------------------------------------------------- export */

/*
 * The system as a zk_r1cs in wire order (free with zk_r1cs_free): header
 * counts from the variable kinds, constraints in the order they were
 * added, identity label map.  Modes SHAPE and WITNESS.  ZK_EINVAL in
 * ZK_CS_WITNESS_ONLY; ZK_ERANGE when counts exceed the format's u32
 * fields; ZK_ENOMEM; the sticky error.
 */
ZK_WUR int zk_cs_to_r1cs(zk_r1cs **out, const zk_cs *cs);

/*
 * The witness in wire order: *values is a malloc'ed array of *n =
 * zk_cs_n_vars() elements (caller frees with free()), values[0] = 1.
 * Witness modes only (ZK_EINVAL in SHAPE); ZK_ENOMEM; the sticky error.
 */
ZK_WUR int zk_cs_witness(zk_fr **values, size_t *n, const zk_cs *cs);

/* zk_cs_to_r1cs + zk_r1cs_write, zk_cs_witness + zk_wtns_write (atomic
 * writes; the errors of both steps). */
ZK_WUR int zk_cs_write_r1cs(const char *path, const zk_cs *cs);
ZK_WUR int zk_cs_write_wtns(const char *path, const zk_cs *cs);

/* ------------------------------------------------------------- testing */

/* Fault injection for tests: after `n` more successful internal
 * allocations, the next one fails (ZK_ENOMEM, sticky).  UINT64_MAX turns
 * it off (the default). */
void zk_cs_test_fail_alloc(zk_cs *cs, uint64_t n);

#endif
