/*
 * The kernel's scheduling policy as pure logic over per-CPU run queues:
 * the real-time, fair and idle classes, the choice of a task's CPU,
 * stealing and balancing, preemption, and the load averages (see rq.h).
 */
#include <libs/string.h>
#include "sched/rq.h"

#define RD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WR(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define SC_RD(x) __atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define SC_WR(x, v) __atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)

/* The values of Linux's sched_prio_to_weight: nice -20 to 19, each step
 * about 1.25 times the next, nice 0 at 1024. */
static const uint32_t nice_weights[40] = {
	88761, 71755, 56483, 46273, 36291, /* -20 */
	29154, 23254, 18705, 14949, 11916, /* -15 */
	9548,  7620,  6100,  4904,  3906,  /* -10 */
	3121,  2501,  1991,  1586,  1277,  /* -5 */
	1024,  820,   655,   526,   423,   /* 0 */
	335,   272,   215,   172,   137,   /* 5 */
	110,   87,    70,    56,    45,    /* 10 */
	36,    29,    23,    18,    15,    /* 15 */
};

/* Linux's EXP_1, EXP_5, EXP_15: 2048 / e^(5 s / 1, 5, 15 minutes). */
static const uint64_t load_exp[3] = { 1884, 2014, 2037 };

uint32_t sched_nice_weight(int nice)
{
	if (nice < SCHED_NICE_MIN)
		nice = SCHED_NICE_MIN;
	if (nice > SCHED_NICE_MAX)
		nice = SCHED_NICE_MAX;
	return nice_weights[nice - SCHED_NICE_MIN];
}

bool sched_is_rt(unsigned policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

bool sched_is_fair(unsigned policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH;
}

bool sched_is_idle(unsigned policy)
{
	return policy == SCHED_IDLE;
}

uint64_t sched_cpu_mask(unsigned ncpus)
{
	return ncpus >= 64 ? ~0ULL : (1ULL << ncpus) - 1;
}

/* Whether a comes before b on a clock that may wrap. */
static bool before(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

/* Linux's scaling of the fair tunables: 1 + log2(CPUs), CPUs up to 8. */
static uint64_t tunable_factor(unsigned ncpus)
{
	unsigned n = ncpus < 1 ? 1 : ncpus > 8 ? 8 : ncpus;

	return 1 + (31 - (unsigned)__builtin_clz(n));
}

static void flags_set(struct fr_sched_entity *se, uint32_t f)
{
	WR(se->policy_flags, se->policy_flags | f);
}

static void flags_clear(struct fr_sched_entity *se, uint32_t f)
{
	WR(se->policy_flags, se->policy_flags & ~f);
}

void sched_state_init(struct sched_state *st)
{
	memset(st, 0, sizeof(*st));
	st->ncpus = 1;
	st->load.next = LOADAVG_FREQ_NS;
}

void sched_entity_set_weight(struct fr_sched_entity *se)
{
	se->weight = sched_is_idle(se->sched_class) ?
			     SCHED_NICE_0_WEIGHT :
			     sched_nice_weight(se->nice);
}

void sched_entity_init(struct fr_sched_entity *se,
		       const struct fr_sched_entity *parent)
{
	uint32_t cls = SCHED_NORMAL, prio = 0, flags = 0;
	uint64_t cpus = ~0ULL;
	int32_t nice = 0;

	if (parent) {
		cls = RD(parent->sched_class);
		prio = RD(parent->rt_priority);
		nice = RD(parent->nice);
		cpus = RD(parent->cpus_allowed);
		flags = RD(parent->policy_flags) & SE_RESET_ON_FORK;
	}
	if (flags & SE_RESET_ON_FORK) {
		/* as Linux's sched_fork; the child does not keep the flag */
		if (sched_is_rt(cls)) {
			cls = SCHED_NORMAL;
			prio = 0;
			nice = 0;
		} else if (nice < 0) {
			nice = 0;
		}
		flags = 0;
	}
	se->next = se->prev = NULL;
	se->vruntime = parent ? parent->vruntime : 0;
	se->deadline = 0;
	se->slice_left = 0;
	se->exec_start = 0;
	se->sum_exec = 0;
	WR(se->cpus_allowed, cpus ? cpus : ~0ULL);
	WR(se->nice, nice);
	WR(se->sched_class, cls);
	WR(se->rt_priority, prio);
	WR(se->policy_flags, flags | SE_NEW);
	WR(se->cpu, -1);
	sched_entity_set_weight(se);
}

/* ---- lists and queues ---- */

/* Insert @se before @pos (NULL: at the end). */
static void list_insert(struct sched_list *l, struct fr_sched_entity *pos,
			struct fr_sched_entity *se)
{
	se->next = pos;
	se->prev = pos ? pos->prev : l->last;
	if (se->prev)
		se->prev->next = se;
	else
		l->first = se;
	if (pos)
		pos->prev = se;
	else
		l->last = se;
}

static void list_remove(struct sched_list *l, struct fr_sched_entity *se)
{
	if (se->prev)
		se->prev->next = se->next;
	else
		l->first = se->next;
	if (se->next)
		se->next->prev = se->prev;
	else
		l->last = se->prev;
	se->next = se->prev = NULL;
}

static struct sched_fair_queue *fair_queue(struct sched_rq *rq,
					   uint32_t policy)
{
	return sched_is_idle(policy) ? &rq->idle : &rq->fair;
}

static void nr_running_add(struct sched_rq *rq, int delta)
{
	WR(rq->nr_running, (unsigned)((int)rq->nr_running + delta));
}

/* Raise @q's min_vruntime to the smallest of @curr (if it is of this
 * queue) and the queued entities. */
static void update_min_vruntime(struct sched_fair_queue *q,
				const struct fr_sched_entity *curr)
{
	const struct fr_sched_entity *first = q->list.first;
	uint64_t v;

	if (curr && first)
		v = before(first->vruntime, curr->vruntime) ? first->vruntime :
							      curr->vruntime;
	else if (curr)
		v = curr->vruntime;
	else if (first)
		v = first->vruntime;
	else
		return;
	if (before(q->min_vruntime, v))
		q->min_vruntime = v;
}

/* The running entity of @rq if it belongs to @q. */
static const struct fr_sched_entity *curr_of(struct sched_rq *rq,
					     struct sched_fair_queue *q)
{
	struct fr_sched_entity *c = rq->curr;

	if (!c || sched_is_rt(c->sched_class) ||
	    fair_queue(rq, c->sched_class) != q)
		return NULL;
	return c;
}

/*
 * Queue @se on @cpu's queue of its class: real time after its equals (or
 * before them with @head), fair by vruntime after its equals.
 */
static void queue_add(struct sched_state *st, unsigned cpu,
		      struct fr_sched_entity *se, bool head)
{
	struct sched_rq *rq = &st->rq[cpu];
	struct fr_sched_entity *pos;

	if (sched_is_rt(se->sched_class)) {
		for (pos = rq->rt.first; pos; pos = pos->next)
			if (pos->rt_priority < se->rt_priority ||
			    (head && pos->rt_priority == se->rt_priority))
				break;
		list_insert(&rq->rt, pos, se);
		rq->nr_rt++;
		flags_set(se, SE_QUEUED_RT);
	} else {
		struct sched_fair_queue *q = fair_queue(rq, se->sched_class);

		for (pos = q->list.first; pos; pos = pos->next)
			if (before(se->vruntime, pos->vruntime))
				break;
		list_insert(&q->list, pos, se);
		q->nr++;
		q->load += se->weight;
		flags_set(se, q == &rq->idle ? SE_QUEUED_IDLE : SE_QUEUED_FAIR);
		update_min_vruntime(q, curr_of(rq, q));
	}
	WR(se->cpu, (int32_t)cpu);
	nr_running_add(rq, 1);
}

/* Take the queued @se off its queue (on the CPU in se->cpu). */
static void queue_del(struct sched_state *st, struct fr_sched_entity *se)
{
	uint32_t where = se->policy_flags & SE_QUEUED;
	struct sched_rq *rq;

	if (!where || se->cpu < 0 || (unsigned)se->cpu >= FR_MAX_CPUS)
		return;
	rq = &st->rq[se->cpu];
	if (where & SE_QUEUED_RT) {
		list_remove(&rq->rt, se);
		rq->nr_rt--;
	} else {
		struct sched_fair_queue *q =
			where & SE_QUEUED_IDLE ? &rq->idle : &rq->fair;

		list_remove(&q->list, se);
		q->nr--;
		q->load = q->load > se->weight ? q->load - se->weight : 0;
	}
	flags_clear(se, SE_QUEUED);
	nr_running_add(rq, -1);
}

/* Whether @se may run on @cpu. */
static bool allowed_on(const struct fr_sched_entity *se, unsigned cpu)
{
	return (se->cpus_allowed >> cpu) & 1;
}

/* ---- time ---- */

uint64_t sched_fair_slice_ns(const struct sched_state *st,
			     const struct fr_sched_entity *se, unsigned cpu)
{
	const struct sched_rq *rq = &st->rq[cpu];
	const struct sched_fair_queue *q =
		sched_is_idle(se->sched_class) ? &rq->idle : &rq->fair;
	uint64_t f = tunable_factor(st->ncpus);
	uint64_t latency = SCHED_LATENCY_NS * f, gran = SCHED_MIN_GRAN_NS * f;
	uint64_t nr = q->nr, load = q->load, period, slice;

	if (!(se->policy_flags & SE_QUEUED)) {
		nr++;
		load += se->weight;
	}
	period = nr > latency / gran ? nr * gran : latency;
	slice = load ? period * se->weight / load : period;
	return slice > gran ? slice : gran;
}

/* Charge the running @se on @cpu with the time since it was last charged. */
static void account(struct sched_state *st, unsigned cpu,
		    struct fr_sched_entity *se, uint64_t now)
{
	struct sched_rq *rq = &st->rq[cpu];
	uint64_t delta;

	if (rq->curr != se || !before(se->exec_start, now))
		return;
	delta = now - se->exec_start;
	se->exec_start = now;
	se->sum_exec += delta;
	WR(rq->busy_ns, rq->busy_ns + delta);
	if (sched_is_rt(se->sched_class)) {
		if (se->sched_class == SCHED_RR)
			se->slice_left = se->slice_left > delta ?
						 se->slice_left - delta :
						 0;
		return;
	}
	se->vruntime += delta * SCHED_NICE_0_WEIGHT /
			(se->weight ? se->weight : SCHED_NICE_0_WEIGHT);
	update_min_vruntime(fair_queue(rq, se->sched_class), se);
}

/* Move a fair-class @se's vruntime from @from's queue scale to @to's. */
static void migrate_vruntime(struct sched_state *st,
			     struct fr_sched_entity *se, unsigned from,
			     unsigned to)
{
	const struct sched_fair_queue *qf =
		fair_queue(&st->rq[from], se->sched_class);
	const struct sched_fair_queue *qt =
		fair_queue(&st->rq[to], se->sched_class);

	se->vruntime = se->vruntime - qf->min_vruntime + qt->min_vruntime;
}

/*
 * Place a fair-class @se that joins @cpu's queue: a new task after the
 * others (by half a latency of its own running time, as Linux's
 * START_DEBIT, so that new tasks keep their order); a task that was running
 * there keeps its vruntime; any other keeps its lag behind or ahead of
 * its old queue's min_vruntime, but no more than half a latency behind
 * (a sleeper's credit) nor a latency ahead.
 */
static void place_fair(struct sched_state *st, struct fr_sched_entity *se,
		       unsigned cpu, bool was_running_here)
{
	struct sched_fair_queue *q = fair_queue(&st->rq[cpu], se->sched_class);
	int64_t latency = (int64_t)(SCHED_LATENCY_NS *
				    tunable_factor(st->ncpus));
	uint64_t old_min;
	int64_t lag;

	update_min_vruntime(q, curr_of(&st->rq[cpu], q));
	old_min = q->min_vruntime;
	if (se->policy_flags & SE_NEW) {
		se->vruntime = q->min_vruntime +
			       (uint64_t)latency / 2 * SCHED_NICE_0_WEIGHT /
				       (se->weight ? se->weight :
						     SCHED_NICE_0_WEIGHT);
		flags_clear(se, SE_NEW | SE_REPLACE);
		return;
	}
	if (was_running_here && !(se->policy_flags & SE_REPLACE))
		return;
	if (se->cpu >= 0 && (unsigned)se->cpu < st->ncpus)
		old_min = fair_queue(&st->rq[se->cpu], se->sched_class)
				  ->min_vruntime;
	lag = (int64_t)(se->vruntime - old_min);
	if (lag < -latency / 2)
		lag = -latency / 2;
	if (lag > latency)
		lag = latency;
	se->vruntime = q->min_vruntime + (uint64_t)lag;
	flags_clear(se, SE_REPLACE);
}

/* ---- choosing a CPU ---- */

/*
 * How urgent what @cpu runs is, for a real-time task looking for a CPU:
 * -2 idle, -1 only other classes, else the highest real-time priority
 * there.
 */
static int rt_rank(const struct sched_rq *rq)
{
	int rank = rq->nr_running ? -1 : -2;

	if (rq->curr && sched_is_rt(rq->curr->sched_class))
		rank = (int)rq->curr->rt_priority;
	if (rq->rt.first && (int)rq->rt.first->rt_priority > rank)
		rank = (int)rq->rt.first->rt_priority;
	return rank;
}

/*
 * Among the CPUs in @allowed, the one with the smallest @key (the
 * number of tasks, or the real-time rank): @this_cpu on a tie, else the
 * first after @last, round.
 */
static unsigned least(const struct sched_state *st, uint64_t allowed,
		      unsigned this_cpu, int last, bool rt, int *key_out)
{
	unsigned n = st->ncpus, best = n;
	unsigned start = last >= 0 ? (unsigned)last + 1 : 0;
	int best_key = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned c = (start + i) % n;
		int key;

		if (!((allowed >> c) & 1))
			continue;
		key = rt ? rt_rank(&st->rq[c]) : (int)st->rq[c].nr_running;
		if (best == n || key < best_key ||
		    (key == best_key && c == this_cpu)) {
			best = c;
			best_key = key;
		}
	}
	*key_out = best_key;
	return best;
}

static unsigned select_cpu(const struct sched_state *st,
			   const struct fr_sched_entity *se, unsigned this_cpu)
{
	uint64_t online = sched_cpu_mask(st->ncpus);
	uint64_t allowed = se->cpus_allowed & online;
	int last = se->cpu, key;
	unsigned best;

	if (!allowed)
		allowed = online; /* its CPUs are not up: any will do */
	if (last >= 0 && ((unsigned)last >= st->ncpus ||
			  !((allowed >> last) & 1)))
		last = -1;
	if (sched_is_rt(se->sched_class)) {
		/* where it runs at once: its last CPU, else the least busy */
		if (last >= 0 &&
		    rt_rank(&st->rq[last]) < (int)se->rt_priority)
			return (unsigned)last;
		best = least(st, allowed, this_cpu, last, true, &key);
		if (key < (int)se->rt_priority)
			return best;
	}
	best = least(st, allowed, this_cpu, last, false, &key);
	if (last >= 0 && (int)st->rq[last].nr_running <= key)
		return (unsigned)last;
	return best;
}

/* ---- the hooks' logic ---- */

unsigned sched_enqueue(struct sched_state *st, struct fr_sched_entity *se,
		       unsigned this_cpu, uint64_t now)
{
	struct sched_rq *here = &st->rq[this_cpu];
	bool requeue = here->just_put == se;
	bool head = false;
	unsigned cpu;

	sched_loadavg_advance(st, now);
	if (requeue)
		here->just_put = NULL;
	cpu = select_cpu(st, se, this_cpu);
	if (sched_is_rt(se->sched_class)) {
		head = se->policy_flags & SE_HEAD;
		flags_clear(se, SE_HEAD | SE_YIELD | SE_NEW);
		if (se->sched_class == SCHED_RR && !se->slice_left)
			se->slice_left = SCHED_RR_TIMESLICE_NS;
	} else {
		place_fair(st, se, cpu, requeue && se->cpu == (int32_t)cpu);
		flags_clear(se, SE_HEAD);
		if (!requeue)
			flags_clear(se, SE_YIELD);
	}
	queue_add(st, cpu, se, head);
	return cpu;
}

void sched_dequeue(struct sched_state *st, struct fr_sched_entity *se)
{
	queue_del(st, se);
}

/*
 * The first entity of @q to run: yielders give way once to the first that
 * did not yield (to the first of all if they all did).
 */
static struct fr_sched_entity *fair_first(struct sched_fair_queue *q)
{
	struct fr_sched_entity *se = q->list.first;

	while (se && (se->policy_flags & SE_YIELD)) {
		flags_clear(se, SE_YIELD);
		se = se->next;
	}
	return se ? se : q->list.first;
}

static struct fr_sched_entity *first_local(struct sched_rq *rq)
{
	if (rq->rt.first)
		return rq->rt.first;
	if (rq->fair.list.first)
		return fair_first(&rq->fair);
	return fair_first(&rq->idle);
}

/* The first of @l (in order) that may run on @cpu, or the last with
 * @from_end. */
static struct fr_sched_entity *first_allowed(const struct sched_list *l,
					     unsigned cpu, bool from_end)
{
	struct fr_sched_entity *se = from_end ? l->last : l->first;

	while (se && !allowed_on(se, cpu))
		se = from_end ? se->prev : se->next;
	return se;
}

/* A queued entity of @rq that may run on @cpu, by class; the one that
 * would wait longest with @from_end. */
static struct fr_sched_entity *movable(const struct sched_rq *rq,
				       unsigned cpu, bool from_end)
{
	struct fr_sched_entity *se = first_allowed(&rq->rt, cpu, false);

	if (!se)
		se = first_allowed(&rq->fair.list, cpu, from_end);
	if (!se)
		se = first_allowed(&rq->idle.list, cpu, from_end);
	return se;
}

/* Move the queued @se from its CPU's queue to @cpu's (not queued there
 * with @queue false: the caller runs it). */
static void migrate(struct sched_state *st, struct fr_sched_entity *se,
		    unsigned cpu, bool queue)
{
	unsigned from = (unsigned)se->cpu;

	queue_del(st, se);
	if (!sched_is_rt(se->sched_class))
		migrate_vruntime(st, se, from, cpu);
	WR(se->cpu, (int32_t)cpu);
	if (queue)
		queue_add(st, cpu, se, false);
}

/*
 * Pull to @cpu the real-time task of the highest priority that waits on
 * another CPU, may run on @cpu and would run first there.
 */
static void rt_pull(struct sched_state *st, unsigned cpu)
{
	struct sched_rq *rq = &st->rq[cpu];
	struct fr_sched_entity *best = NULL;
	int floor = rq->rt.first ? (int)rq->rt.first->rt_priority : 0;

	if (rq->curr && sched_is_rt(rq->curr->sched_class) &&
	    (int)rq->curr->rt_priority > floor)
		floor = (int)rq->curr->rt_priority;
	for (unsigned c = 0; c < st->ncpus; c++) {
		struct fr_sched_entity *se;

		if (c == cpu || !st->rq[c].nr_rt)
			continue;
		se = first_allowed(&st->rq[c].rt, cpu, false);
		if (se && (int)se->rt_priority > floor &&
		    (!best || se->rt_priority > best->rt_priority))
			best = se;
	}
	if (best)
		migrate(st, best, cpu, true);
}

/* Steal for the idle @cpu from the CPU with the most queued tasks. */
static struct fr_sched_entity *steal(struct sched_state *st, unsigned cpu)
{
	struct fr_sched_entity *se = NULL;
	unsigned best_queued = 0;

	for (unsigned c = 0; c < st->ncpus; c++) {
		struct sched_rq *rq = &st->rq[c];
		unsigned queued = rq->nr_running - (rq->curr ? 1 : 0);
		struct fr_sched_entity *m;

		if (c == cpu || queued <= best_queued)
			continue;
		m = movable(rq, cpu, false);
		if (m) {
			se = m;
			best_queued = queued;
		}
	}
	if (se)
		migrate(st, se, cpu, false);
	return se;
}

/* @se starts running on @cpu. */
static void set_curr(struct sched_state *st, unsigned cpu,
		     struct fr_sched_entity *se, uint64_t now)
{
	struct sched_rq *rq = &st->rq[cpu];

	rq->curr = se;
	nr_running_add(rq, 1);
	flags_clear(se, SE_RESCHED);
	flags_set(se, SE_RUNNING);
	se->exec_start = now;
	WR(se->cpu, (int32_t)cpu);
	if (sched_is_rt(se->sched_class)) {
		if (se->sched_class == SCHED_RR && !se->slice_left)
			se->slice_left = SCHED_RR_TIMESLICE_NS;
	} else {
		se->deadline = se->sum_exec + sched_fair_slice_ns(st, se, cpu);
		update_min_vruntime(fair_queue(rq, se->sched_class), se);
	}
}

struct fr_sched_entity *sched_pick(struct sched_state *st, unsigned cpu,
				   uint64_t now)
{
	struct sched_rq *rq = &st->rq[cpu];
	struct fr_sched_entity *se;

	sched_loadavg_advance(st, now);
	if (rq->just_put) {
		/* it went to sleep: what it was told about queueing lapses */
		if (!(rq->just_put->policy_flags & SE_QUEUED))
			flags_clear(rq->just_put, SE_HEAD | SE_YIELD);
		rq->just_put = NULL;
	}
	rt_pull(st, cpu);
	se = first_local(rq);
	if (se)
		queue_del(st, se);
	else
		se = steal(st, cpu);
	if (se)
		set_curr(st, cpu, se, now);
	return se;
}

void sched_put(struct sched_state *st, struct fr_sched_entity *se,
	       unsigned cpu, uint64_t now)
{
	struct sched_rq *rq = &st->rq[cpu];

	sched_loadavg_advance(st, now);
	if (rq->curr == se) {
		account(st, cpu, se, now);
		rq->curr = NULL;
		nr_running_add(rq, -1);
	}
	flags_clear(se, SE_RUNNING);
	if (se->policy_flags & SE_RESCHED)
		flags_clear(se, SE_RESCHED);
	else
		flags_set(se, SE_YIELD);
	rq->just_put = se;
}

/* Pull a task to @cpu from the busiest CPU if it has two or more tasks
 * more than @cpu. */
static void balance(struct sched_state *st, unsigned cpu)
{
	unsigned mine = st->rq[cpu].nr_running, most = 0, busiest = cpu;
	struct fr_sched_entity *se;

	rt_pull(st, cpu);
	for (unsigned c = 0; c < st->ncpus; c++)
		if (c != cpu && st->rq[c].nr_running > most) {
			most = st->rq[c].nr_running;
			busiest = c;
		}
	if (busiest == cpu || most < mine + 2)
		return;
	se = movable(&st->rq[busiest], cpu, true);
	if (se)
		migrate(st, se, cpu, true);
}

/* Whether a queued task of a higher class or real-time priority than
 * @se waits on @rq. */
static bool higher_waits(const struct sched_rq *rq,
			 const struct fr_sched_entity *se)
{
	if (sched_is_rt(se->sched_class))
		return rq->rt.first &&
		       rq->rt.first->rt_priority > se->rt_priority;
	if (rq->rt.first)
		return true;
	return sched_is_idle(se->sched_class) && rq->fair.nr;
}

static bool tick_preempts(struct sched_state *st, struct sched_rq *rq,
			  struct fr_sched_entity *se, unsigned cpu)
{
	struct sched_fair_queue *q;

	if (higher_waits(rq, se)) {
		if (sched_is_rt(se->sched_class))
			flags_set(se, SE_HEAD); /* preempted: stays first */
		return true;
	}
	if (se->sched_class == SCHED_FIFO)
		return false;
	if (se->sched_class == SCHED_RR) {
		if (se->slice_left)
			return false;
		se->slice_left = SCHED_RR_TIMESLICE_NS;
		return rq->rt.first &&
		       rq->rt.first->rt_priority == se->rt_priority;
	}
	if (se->sum_exec < se->deadline)
		return false;
	q = fair_queue(rq, se->sched_class);
	if (q->list.first && before(q->list.first->vruntime, se->vruntime))
		return true;
	/* nobody is owed more: a new slice */
	se->deadline = se->sum_exec + sched_fair_slice_ns(st, se, cpu);
	return false;
}

bool sched_tick(struct sched_state *st, struct fr_sched_entity *se,
		unsigned cpu, uint64_t now)
{
	struct sched_rq *rq = &st->rq[cpu];

	sched_loadavg_advance(st, now);
	if (rq->curr != se) {
		/* a task that runs without having been picked (boot's) */
		if (!rq->curr)
			nr_running_add(rq, 1);
		rq->curr = se;
		flags_set(se, SE_RUNNING);
		se->exec_start = now;
		WR(se->cpu, (int32_t)cpu);
		se->deadline = se->sum_exec;
	}
	account(st, cpu, se, now);
	if (!before(now, rq->next_balance)) {
		rq->next_balance = now + SCHED_BALANCE_NS;
		balance(st, cpu);
	}
	if (!tick_preempts(st, rq, se, cpu))
		return false;
	flags_set(se, SE_RESCHED);
	return true;
}

/* Whether @woken, just queued for @cpu, should run before @cur. */
static bool wakeup_preempts(struct sched_state *st,
			    struct fr_sched_entity *cur,
			    struct fr_sched_entity *woken)
{
	uint64_t gran;

	if (sched_is_rt(woken->sched_class)) {
		if (!sched_is_rt(cur->sched_class))
			return true;
		if (woken->rt_priority <= cur->rt_priority)
			return false;
		flags_set(cur, SE_HEAD);
		return true;
	}
	if (sched_is_rt(cur->sched_class) || sched_is_idle(woken->sched_class))
		return false;
	if (sched_is_idle(cur->sched_class))
		return true;
	/* as Linux: a waking SCHED_BATCH task waits for the tick */
	if (woken->sched_class != SCHED_NORMAL)
		return false;
	gran = SCHED_WAKEUP_GRAN_NS * tunable_factor(st->ncpus) *
	       SCHED_NICE_0_WEIGHT /
	       (woken->weight ? woken->weight : SCHED_NICE_0_WEIGHT);
	return (int64_t)(cur->vruntime - woken->vruntime) > (int64_t)gran;
}

bool sched_wakeup_preempt(struct sched_state *st, struct fr_sched_entity *cur,
			  struct fr_sched_entity *woken, unsigned cpu,
			  uint64_t now)
{
	account(st, cpu, cur, now);
	if (!wakeup_preempts(st, cur, woken))
		return false;
	flags_set(cur, SE_RESCHED);
	return true;
}

/* ---- load averages ---- */

unsigned sched_nr_running(const struct sched_state *st)
{
	unsigned n = 0, cpus = RD(st->ncpus);

	for (unsigned c = 0; c < cpus && c < FR_MAX_CPUS; c++)
		n += RD(st->rq[c].nr_running);
	return n;
}

uint64_t sched_calc_load(uint64_t load, uint64_t exp, uint64_t active)
{
	uint64_t newload = load * exp + active * (LOADAVG_FIXED_1 - exp);

	if (active >= load)
		newload += LOADAVG_FIXED_1 - 1;
	return newload / LOADAVG_FIXED_1;
}

/* Take @periods samples of @active tasks into @avg. */
static void decay(uint64_t avg[3], uint64_t periods, unsigned active)
{
	uint64_t a = (uint64_t)active * LOADAVG_FIXED_1;

	for (int i = 0; i < 3; i++) {
		/* after 2000 samples every average has converged */
		if (periods > 2000) {
			avg[i] = a;
			continue;
		}
		for (uint64_t k = 0; k < periods; k++)
			avg[i] = sched_calc_load(avg[i], load_exp[i], a);
	}
}

void sched_loadavg_advance(struct sched_state *st, uint64_t now)
{
	struct sched_loadavg *l = &st->load;
	uint64_t periods, avg[3];

	if (before(now, l->next))
		return;
	periods = (now - l->next) / LOADAVG_FREQ_NS + 1;
	for (int i = 0; i < 3; i++)
		avg[i] = l->avenrun[i];
	decay(avg, periods, sched_nr_running(st));
	SC_WR(l->seq, l->seq + 1);
	for (int i = 0; i < 3; i++)
		SC_WR(l->avenrun[i], avg[i]);
	SC_WR(l->next, l->next + periods * LOADAVG_FREQ_NS);
	SC_WR(l->seq, l->seq + 1);
}

void sched_loadavg_read(const struct sched_state *st, uint64_t now,
			uint64_t avenrun[3], unsigned *running)
{
	const struct sched_loadavg *l = &st->load;
	uint32_t s1, s2;
	uint64_t next;
	unsigned active;

	do {
		s1 = SC_RD(l->seq);
		for (int i = 0; i < 3; i++)
			avenrun[i] = SC_RD(l->avenrun[i]);
		next = SC_RD(l->next);
		s2 = SC_RD(l->seq);
	} while ((s1 & 1) || s1 != s2);
	active = sched_nr_running(st);
	if (!before(now, next))
		decay(avenrun, (now - next) / LOADAVG_FREQ_NS + 1, active);
	if (running)
		*running = active;
}
