import { MigrationInterface, QueryRunner } from "typeorm";

export class OptOuts1795311516845 implements MigrationInterface {
    name = 'OptOuts1795311516845'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "opt_outs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "channel_id" uuid NOT NULL, "address" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ea09458ff89d7d39a433e46beed" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_a19744c333a40c6f5237b0e57e" ON "opt_outs" ("channel_id", "address") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_a19744c333a40c6f5237b0e57e"`);
        await queryRunner.query(`DROP TABLE "opt_outs"`);
    }

}
