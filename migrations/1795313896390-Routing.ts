import { MigrationInterface, QueryRunner } from "typeorm";

export class Routing1795313896390 implements MigrationInterface {
    name = 'Routing1795313896390'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "agents" ("user_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "state" text NOT NULL DEFAULT 'offline', "reason_code" text, "source" text NOT NULL DEFAULT 'system', "since" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "idle_since" TIMESTAMP WITH TIME ZONE, "resume_state" text, "resume_reason_code" text, CONSTRAINT "PK_57ee94c84a8e570e362af59dcea" PRIMARY KEY ("user_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_87e9fdd9a00cd5fa5768aa0e6b" ON "agents" ("tenant_id") `);
        await queryRunner.query(`CREATE TABLE "agent_presence" ("user_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "disconnected_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ce57b4ad45acf791e0d6eae7560" PRIMARY KEY ("user_id"))`);
        await queryRunner.query(`CREATE TABLE "agent_loads" ("user_id" uuid NOT NULL, "family" text NOT NULL, "tenant_id" uuid NOT NULL, "load" integer NOT NULL DEFAULT '0', CONSTRAINT "ck_agent_loads_not_negative" CHECK ("load" >= 0), CONSTRAINT "PK_39c2a26bd24e05e38f9d5270778" PRIMARY KEY ("user_id", "family"))`);
        await queryRunner.query(`CREATE TABLE "case_assignments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "case_id" uuid NOT NULL, "agent_id" uuid NOT NULL, "skill_id" uuid, "family" text NOT NULL, "reason" text NOT NULL, "note" text, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_87ea587a5ab124bd964c8db5ff7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_case_assignments_open" ON "case_assignments" ("case_id") WHERE "ended_at" IS NULL`);
        await queryRunner.query(`CREATE INDEX "idx_case_assignments_case" ON "case_assignments" ("case_id", "started_at") `);
        await queryRunner.query(`CREATE TABLE "idle_reasons" ("tenant_id" uuid NOT NULL, "code" text NOT NULL, "label" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b5436f93cf4530fbfe5280de288" PRIMARY KEY ("tenant_id", "code"))`);
        await queryRunner.query(`CREATE TABLE "routing_settings" ("tenant_id" uuid NOT NULL, "capacity" jsonb NOT NULL, CONSTRAINT "PK_072c2e9380d6587ff78de5c8a9a" PRIMARY KEY ("tenant_id"))`);
        await queryRunner.query(`CREATE TABLE "skill_routing" ("skill_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "routing_mode" text NOT NULL DEFAULT 'push', "offer_timeout_seconds" integer NOT NULL DEFAULT '30', "business_hours" jsonb, "out_of_hours_reply" text, "sla" jsonb NOT NULL DEFAULT '[]', CONSTRAINT "PK_c7fab5ceda2de2c8ac1c939e4e0" PRIMARY KEY ("skill_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_3e3d863aa1dac8ed05cee1f341" ON "skill_routing" ("tenant_id") `);
        await queryRunner.query(`ALTER TABLE "cases" ADD "routing_state" text DEFAULT 'queued'`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "queued_at" TIMESTAMP WITH TIME ZONE DEFAULT now()`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "offered_to" uuid`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "offer_expires_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "offer_reason" text`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "declined_by" jsonb NOT NULL DEFAULT '[]'`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "routing_note" text`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "sla_pending" boolean NOT NULL DEFAULT true`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "first_response_due_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "first_response_breached_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "first_responded_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "next_response_since" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "next_response_due_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "next_response_breached_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "resolution_due_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "resolution_breached_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "resolved_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "last_agent_reply_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "out_of_hours_replied_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "events" ADD "former_skill_id" uuid`);
        await queryRunner.query(`ALTER TABLE "events" ADD "former_assignee_id" uuid`);
        await queryRunner.query(`ALTER TABLE "users" ADD "capacity" jsonb`);
        await queryRunner.query(`ALTER TABLE "user_skills" ADD "last_routed_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`CREATE INDEX "idx_cases_resolution_due" ON "cases" ("resolution_due_at") WHERE "resolved_at" IS NULL AND "resolution_breached_at" IS NULL`);
        await queryRunner.query(`CREATE INDEX "idx_cases_next_response_due" ON "cases" ("next_response_due_at") WHERE "next_response_breached_at" IS NULL`);
        await queryRunner.query(`CREATE INDEX "idx_cases_first_response_due" ON "cases" ("first_response_due_at") WHERE "first_responded_at" IS NULL AND "first_response_breached_at" IS NULL`);
        await queryRunner.query(`CREATE INDEX "idx_cases_sla_pending" ON "cases" ("created_at") WHERE "sla_pending"`);
        await queryRunner.query(`CREATE INDEX "idx_cases_unrouted" ON "cases" ("tenant_id") WHERE "routing_state" IS NULL AND "skill_id" IS NOT NULL AND "status" NOT IN ('resolved', 'closed')`);
        await queryRunner.query(`CREATE INDEX "idx_cases_offers" ON "cases" ("offer_expires_at") WHERE "routing_state" = 'offered'`);
        await queryRunner.query(`CREATE INDEX "idx_cases_queue" ON "cases" ("tenant_id", "skill_id") WHERE "routing_state" = 'queued'`);
        // Cases that existed before routing: open and unassigned ones wait in their skill's queue
        // (by age), assigned ones count in their assignee's load, done ones are out of routing.
        await queryRunner.query(`UPDATE "cases" SET "sla_pending" = false,
            "routing_state" = CASE WHEN "status" IN ('resolved', 'closed') OR "skill_id" IS NULL THEN NULL WHEN "assignee_id" IS NOT NULL THEN 'assigned' ELSE 'queued' END,
            "queued_at" = "created_at"`);
        await queryRunner.query(`INSERT INTO "case_assignments" ("tenant_id", "case_id", "agent_id", "skill_id", "family", "reason", "started_at")
            SELECT "tenant_id", "id", "assignee_id", "skill_id",
                   CASE WHEN "channel_type" IN ('chat', 'teams', 'slack') THEN 'chat' WHEN "channel_type" = 'email' THEN 'email' ELSE 'messaging' END,
                   'manual', "updated_at"
              FROM "cases" WHERE "routing_state" = 'assigned'`);
        await queryRunner.query(`INSERT INTO "agent_loads" ("user_id", "family", "tenant_id", "load")
            SELECT "agent_id", "family", "tenant_id", count(*) FROM "case_assignments" WHERE "ended_at" IS NULL GROUP BY "agent_id", "family", "tenant_id"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_cases_queue"`);
        await queryRunner.query(`DROP INDEX "public"."idx_cases_offers"`);
        await queryRunner.query(`DROP INDEX "public"."idx_cases_unrouted"`);
        await queryRunner.query(`DROP INDEX "public"."idx_cases_sla_pending"`);
        await queryRunner.query(`DROP INDEX "public"."idx_cases_first_response_due"`);
        await queryRunner.query(`DROP INDEX "public"."idx_cases_next_response_due"`);
        await queryRunner.query(`DROP INDEX "public"."idx_cases_resolution_due"`);
        await queryRunner.query(`ALTER TABLE "user_skills" DROP COLUMN "last_routed_at"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "capacity"`);
        await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "former_assignee_id"`);
        await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "former_skill_id"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "out_of_hours_replied_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "last_agent_reply_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "resolved_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "resolution_breached_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "resolution_due_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "next_response_breached_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "next_response_due_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "next_response_since"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "first_responded_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "first_response_breached_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "first_response_due_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "sla_pending"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "routing_note"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "declined_by"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "offer_reason"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "offer_expires_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "offered_to"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "queued_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "routing_state"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_3e3d863aa1dac8ed05cee1f341"`);
        await queryRunner.query(`DROP TABLE "skill_routing"`);
        await queryRunner.query(`DROP TABLE "routing_settings"`);
        await queryRunner.query(`DROP TABLE "idle_reasons"`);
        await queryRunner.query(`DROP INDEX "public"."idx_case_assignments_case"`);
        await queryRunner.query(`DROP INDEX "public"."uq_case_assignments_open"`);
        await queryRunner.query(`DROP TABLE "case_assignments"`);
        await queryRunner.query(`DROP TABLE "agent_loads"`);
        await queryRunner.query(`DROP TABLE "agent_presence"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_87e9fdd9a00cd5fa5768aa0e6b"`);
        await queryRunner.query(`DROP TABLE "agents"`);
    }

}
